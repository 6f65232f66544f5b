// Cold start: what a fresh process does before its first response, for one path. The parent times
// spawn → this line on stdout.
//
//   node bench/cold.mjs <base url> <raw-fetch | raw-undici | 1.x | 2.x>
import { pathToFileURL } from "node:url"
import { lineDirs } from "./lines.mjs"

const [baseUrl, mode] = process.argv.slice(2)
const token = "sk_test_bench"
let result
if (mode === "raw-fetch") {
  const response = await fetch(`${baseUrl}/v1/account/api-keys/ak_bench`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } })
  result = JSON.parse(await response.text())
} else if (mode === "raw-undici") {
  const { request } = await import("undici")
  const { body } = await request(`${baseUrl}/v1/account/api-keys/ak_bench`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } })
  result = JSON.parse(await body.text())
} else {
  const { AuthenticatedClient } = await import(pathToFileURL(`${lineDirs[mode].dist}client.js`).href)
  const getApiKey = await import(pathToFileURL(`${lineDirs[mode].dist}api/account/getApiKey.js`).href)
  result = await getApiKey.asyncio("ak_bench", new AuthenticatedClient({ baseUrl, token }))
}
process.stdout.write(`${JSON.stringify({ id: result.id })}\n`)
process.exit(0)
