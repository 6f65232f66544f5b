// Memory over many calls, alone in a fresh process (so nothing else's buffers count): the Effect
// API over fetch, 10,000 calls of warm-up, then heap and RSS after a full GC every 10% of the run.
//
//   node --expose-gc bench/memory.mjs <base url> <calls>
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, ManagedRuntime } from "effect"
import { Account, BytekitClient } from "bytekit-effect"

const [baseUrl, total = "100000"] = process.argv.slice(2)
const calls = Number(total)
const runtime = ManagedRuntime.make(
  BytekitClient.layer({ baseUrl, apiKey: "sk_test_bench" }).pipe(Layer.provide(FetchHttpClient.layer))
)
const batch = (n) =>
  runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => Account.getApiKey("ak_bench"), { concurrency: 64, discard: true }))
const reading = (after) => {
  globalThis.gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { calls: after, heapMiB: Number((heapUsed / 2 ** 20).toFixed(1)), rssMiB: Number((rss / 2 ** 20).toFixed(1)) }
}

await batch(10_000)
const readings = [reading(0)]
for (let done = 0; done < calls; done += calls / 10) {
  await batch(calls / 10)
  readings.push(reading(done + calls / 10))
}
await runtime.dispose()
process.stdout.write(`${JSON.stringify(readings)}\n`)
process.exit(0)
