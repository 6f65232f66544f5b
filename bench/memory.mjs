// Memory over many calls, alone in a fresh process (so nothing else's buffers count): one call path,
// a warm-up of a tenth of the run, then heap and RSS after a full GC every 10% of the run.
//
//   node --expose-gc bench/memory.mjs <base url> <calls> <mode>
//   mode: raw-undici | 1.x-effect | 2.x-effect | 1.x-asyncio | 2.x-asyncio
import { request } from "undici"
import { loadLine, pool } from "./lines.mjs"

const [baseUrl, total = "100000", mode = "1.x-effect"] = process.argv.slice(2)
const calls = Number(total)
const token = "sk_test_bench"
const url = `${baseUrl}/v1/account/api-keys/ak_bench`

let batch
let dispose = async () => {}
if (mode === "raw-undici") {
  const one = async () => {
    const { body } = await request(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } })
    return JSON.parse(await body.text())
  }
  batch = pool(one)
} else {
  const [line, path] = mode.split("-")
  const loaded = await loadLine(line, baseUrl, token)
  batch = path === "effect" ? loaded.effectDefault.many : loaded.asyncio.many
  dispose = loaded.dispose
}
const reading = (after) => {
  globalThis.gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { calls: after, heapMiB: Number((heapUsed / 2 ** 20).toFixed(1)), rssMiB: Number((rss / 2 ** 20).toFixed(1)) }
}

await batch(Math.max(1000, calls / 10))
const readings = [reading(0)]
for (let done = 0; done < calls; done += calls / 10) {
  await batch(calls / 10)
  readings.push(reading(done + calls / 10))
}
await dispose()
process.stdout.write(`${JSON.stringify(readings)}\n`)
process.exit(0)
