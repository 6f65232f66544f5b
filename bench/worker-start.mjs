// One process, one sync call after another: the first pays for starting the worker thread.
import { AuthenticatedClient } from "bytekit-effect/client"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"

const [url] = process.argv.slice(2)
const client = new AuthenticatedClient({ baseUrl: url, token: "sk_test_bench" })
const time = (f) => {
  const start = performance.now()
  f()
  return performance.now() - start
}
const first = time(() => getApiKey.sync("ak_bench", client))
const rest = Array.from({ length: 50 }, () => time(() => getApiKey.sync("ak_bench", client))).sort((a, b) => a - b)
process.stdout.write(`${JSON.stringify({ first, median: rest[25] })}\n`)
