// One process, one sync call after another, for one line: the first pays for starting the worker
// thread (and its module graph). Import time is measured apart, before it.
//
//   node bench/worker-start.mjs <base url> <1.x|2.x>
import { pathToFileURL } from "node:url"
import { lineDirs } from "./lines.mjs"

const [url, line = "1.x"] = process.argv.slice(2)
const importStart = performance.now()
const { AuthenticatedClient } = await import(pathToFileURL(`${lineDirs[line].dist}client.js`).href)
const getApiKey = await import(pathToFileURL(`${lineDirs[line].dist}api/account/getApiKey.js`).href)
const importMs = performance.now() - importStart
const client = new AuthenticatedClient({ baseUrl: url, token: "sk_test_bench" })
const time = (f) => {
  const start = performance.now()
  f()
  return performance.now() - start
}
const first = time(() => getApiKey.sync("ak_bench", client))
const rest = Array.from({ length: 50 }, () => time(() => getApiKey.sync("ak_bench", client))).sort((a, b) => a - b)
process.stdout.write(`${JSON.stringify({ importMs, first, median: rest[25] })}\n`)
process.exit(0)
