/**
 * `npm run bench`: what a call costs, as ratios to hand-written fetch + JSON.parse measured in the
 * same run against the same fixed-response server in another process. Also: the sync worker's
 * one-off start, memory over 100,000 calls, bundle sizes and the emulator store under churn. Prints a
 * table; writes results.json.
 */
import { FetchHttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer, ManagedRuntime } from "effect"
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import * as getApiKey from "../dist/api/account/getApiKey.js"
// The built package, as users get it (not src/ through tsconfig paths).
import { Account, AuthenticatedClient, BytekitClient } from "../dist/index.js"
import { startProcess } from "../test/processes.js"
import { bundleSizes } from "./bundle.js"
import { churn } from "./churn.js"

const quick = process.env["BENCH_QUICK"] === "1"
const rounds = quick ? 3 : 12
const perRound = quick ? 100 : 300
const concurrentCalls = quick ? 640 : 2000
const memoryCalls = quick ? 10_000 : 100_000

const server = await startProcess<{ url: string }>("bench/fixed-server.mjs")
const token = "sk_test_bench"
const url = `${server.url}/v1/account/api-keys/ak_bench`

const rawFetch = async () => {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } })
  return JSON.parse(await response.text())
}

const runtimeOver = (http: Layer.Layer<any>) =>
  ManagedRuntime.make(BytekitClient.layer({ baseUrl: server.url, apiKey: token }).pipe(Layer.provide(http)))
const overFetch = runtimeOver(FetchHttpClient.layer)
const overUndici = runtimeOver(NodeHttpClient.layerUndici)
const client = new AuthenticatedClient({ baseUrl: server.url, token })
const clientUndici = new AuthenticatedClient({ baseUrl: server.url, token, httpClient: NodeHttpClient.layerUndici })
const op = Account.getApiKey("ak_bench")

type Variant = { readonly name: string; readonly one: () => Promise<unknown> | unknown; readonly many?: (n: number) => Promise<unknown> }

/** n calls, 64 at a time, through promises (what plain code does). */
const pool = (one: () => Promise<unknown>) => async (n: number) => {
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < n) await one()
  }))
}
/** n calls, 64 at a time, inside one Effect (what an Effect program does). */
const inEffect = (runtime: typeof overFetch) => (n: number) =>
  runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => op, { concurrency: 64, discard: true }))

const variants: ReadonlyArray<Variant> = [
  { name: "raw fetch + JSON.parse", one: rawFetch, many: pool(rawFetch) },
  { name: "Effect API, FetchHttpClient", one: () => overFetch.runPromise(op), many: inEffect(overFetch) },
  { name: "Effect API, undici layer", one: () => overUndici.runPromise(op), many: inEffect(overUndici) },
  { name: "asyncio", one: () => getApiKey.asyncio("ak_bench", client), many: pool(() => getApiKey.asyncio("ak_bench", client)) },
  {
    name: "asyncio, undici layer",
    one: () => getApiKey.asyncio("ak_bench", clientUndici),
    many: pool(() => getApiKey.asyncio("ak_bench", clientUndici))
  },
  { name: "asyncioDetailed", one: () => getApiKey.asyncioDetailed("ak_bench", client), many: pool(() => getApiKey.asyncioDetailed("ak_bench", client)) },
  { name: "sync", one: () => getApiKey.sync("ak_bench", client) },
  { name: "syncDetailed", one: () => getApiKey.syncDetailed("ak_bench", client) }
]

const median = (values: Array<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

// Warm every path (JIT, connections, the sync worker) before measuring.
for (const variant of variants) for (let i = 0; i < (quick ? 300 : 2000); i++) await variant.one()

// Concurrency 1: rounds interleave the variants, so drift on the machine hits them alike.
const sequential = new Map<string, Array<number>>(variants.map((v) => [v.name, []]))
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const samples = sequential.get(variant.name)!
    for (let i = 0; i < perRound; i++) {
      const start = performance.now()
      await variant.one()
      samples.push((performance.now() - start) * 1000)
    }
  }
}

// Concurrency 64: per-call time is the wall time of a batch over its calls; median of rounds.
const concurrent = new Map<string, Array<number>>()
for (let round = 0; round < (quick ? 3 : 5); round++) {
  for (const variant of variants) {
    if (variant.many === undefined) continue
    const start = performance.now()
    await variant.many(concurrentCalls)
    const perCall = ((performance.now() - start) * 1000) / concurrentCalls
    concurrent.set(variant.name, [...(concurrent.get(variant.name) ?? []), perCall])
  }
}

const baseline1 = median(sequential.get("raw fetch + JSON.parse")!)
const baseline64 = median(concurrent.get("raw fetch + JSON.parse")!)
const calls = variants.map((variant) => {
  const c1 = median(sequential.get(variant.name)!)
  const c64 = concurrent.has(variant.name) ? median(concurrent.get(variant.name)!) : undefined
  return {
    variant: variant.name,
    "c=1 µs/call": Number(c1.toFixed(1)),
    "c=1 ratio": Number((c1 / baseline1).toFixed(2)),
    "c=64 µs/call": c64 === undefined ? "-" : Number(c64.toFixed(1)),
    "c=64 ratio": c64 === undefined ? "-" : Number((c64 / baseline64).toFixed(2))
  }
})

// The sync worker's one-off start, in fresh processes.
const starts: Array<number> = []
for (let i = 0; i < 3; i++) {
  const { first, median: steady } = await startProcess<{ first: number; median: number }>("bench/worker-start.mjs", [server.url])
  starts.push(first - steady)
}
const workerStartMs = Number(median(starts).toFixed(1))

// Memory: a fresh process making only these calls, read after a full GC every 10% of the run.
const readings = await new Promise<Array<{ calls: number; heapMiB: number; rssMiB: number }>>((resolve, reject) => {
  let output = ""
  const child = spawn(process.execPath, ["--expose-gc", "bench/memory.mjs", server.url, String(memoryCalls)], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  child.stdout.on("data", (chunk) => (output += chunk))
  child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`memory run exited ${code}`))))
})
const growth = (key: "heapMiB" | "rssMiB") => {
  // After warm-up: the second half of the run against the first, so one-off growth does not count.
  const half = readings.slice(Math.floor(readings.length / 2))
  return Number((half[half.length - 1]![key] - half[0]![key]).toFixed(1))
}
const memory = { calls: memoryCalls, readings, secondHalfGrowthMiB: { heap: growth("heapMiB"), rss: growth("rssMiB") } }

const bundles = await bundleSizes()

// Emulator store churn: create+revoke pairs on a data file; the last tenth within 1.3x the first.
const churnResult = churn(quick ? 2_000 : 10_000)

await Promise.all([overFetch.dispose(), overUndici.dispose(), client.dispose(), clientUndici.dispose()])
server.stop()

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`
}
console.log(`\nPer call, getApiKey against a fixed-response server in another process (${machine.cpu}, ${machine.cores} cores, Node ${machine.node})`)
console.table(calls)
console.log(`Sync worker start (one-off, first sync call in a process): ${workerStartMs} ms`)
console.log(`Memory over ${memoryCalls} calls (after GC); growth over the second half: heap ${memory.secondHalfGrowthMiB.heap} MiB, RSS ${memory.secondHalfGrowthMiB.rss} MiB`)
console.table(readings)
console.log("Bundles (minified + gzip):")
console.table(bundles)
console.log(
  `Emulator churn, ${churnResult.pairs} create+revoke pairs: first tenth ${churnResult.firstTenthMsPerPair} ms/pair, ` +
    `last tenth ${churnResult.lastTenthMsPerPair} ms/pair (x${churnResult.ratio}; x${churnResult.interleaved.ratio} against a fresh store interleaved)`
)
writeFileSync(
  process.env["BENCH_RESULTS"] ?? new URL("results.json", import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), machine, quick, calls, workerStartMs, memory, bundles, churn: churnResult }, null, 2)}\n`
)
