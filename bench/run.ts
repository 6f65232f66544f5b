/**
 * `npm run bench`: what a call costs on each line of bytekit-effect (1.x on Effect 3, 2.x on Effect 4),
 * as ratios to the Node floor — `undici.request` + `JSON.parse` — measured in the same run, against
 * the same fixed-response server in another process, in interleaved rounds with no GC forced between
 * blocks. Beside them: raw fetch and openapi-fetch. Also cold start, the first sync call, memory over
 * many calls, browser bundles and the emulator store under churn; checks the speed issue's targets.
 * Prints markdown tables; writes results.json (BENCH_RESULTS=path to write elsewhere). BENCH_QUICK=1: a
 * short run for CI.
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, rmSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { createInterface } from "node:readline"
import createClient from "openapi-fetch"
import { request } from "undici"
import { bundleSizes } from "./bundle.js"
import { churn } from "./churn.js"
import { type Line, lineAvailable, lineBuilt, lineDirs, type LoadedLine, loadLine, pool, snapshotLines } from "./lines.mjs"
import type { paths } from "./openapi.js"

const quick = process.env["BENCH_QUICK"] === "1"
const rounds = quick ? 3 : 7
const perRound = quick ? 100 : 300
const concurrentCalls = quick ? 640 : 2000
const warmup = quick ? 300 : 1500
const coldRuns = quick ? 3 : 7
const memoryCalls = quick ? 10_000 : 100_000
const started = performance.now()
const notes: Array<string> = []

/** A child node process whose first stdout line is JSON; resolves it with the milliseconds from spawn to it. */
const child = <A>(args: Array<string>, keep = false) =>
  new Promise<{ value: A; ms: number; stop: () => void }>((resolve, reject) => {
    const start = performance.now()
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    if (keep) process.once("exit", () => proc.kill("SIGTERM"))
    createInterface({ input: proc.stdout }).once("line", (line) => {
      const ms = performance.now() - start
      if (!keep) proc.kill("SIGTERM")
      resolve({ value: JSON.parse(line) as A, ms, stop: () => proc.kill("SIGTERM") })
    })
    proc.once("exit", (code) => reject(new Error(`node ${args.join(" ")} exited with ${code}`)))
  })
const bench = (file: string) => new URL(file, import.meta.url).pathname

// 2.x is built by its own package; build it when its dist/ is missing, else leave its rows out.
if (!lineBuilt("2.x") && existsSync(new URL("../packages/effect4/node_modules/effect", import.meta.url))) {
  console.log("bytekit-effect 2.x is not built: npm run build --prefix packages/effect4 …")
  spawnSync("npm", ["run", "build", "--prefix", "packages/effect4"], { stdio: ["ignore", "ignore", "inherit"], timeout: 240_000 })
}
// Both lines as built now, copied aside: a rebuild during the run (tsup cleans dist/) changes nothing.
const snapshot = await snapshotLines()
process.once("exit", () => rmSync(snapshot, { recursive: true, force: true }))
// BENCH_LINES=1.x (or 2.x) measures one line only.
const wanted = (process.env["BENCH_LINES"] ?? "2.x,1.x").split(",")
const lines: Array<Line> = (["2.x", "1.x"] as const).filter((line) => {
  if (!wanted.includes(line)) return false
  if (lineAvailable(line)) return true
  notes.push(`bytekit-effect ${line} left out: ${lineDirs[line].dist} is not built (or its Effect is not installed)`)
  return false
})
for (const note of notes) console.log(`NOTE: ${note}`)

const server = await child<{ url: string }>([bench("fixed-server.mjs")], true)
const baseUrl = server.value.url
const token = "sk_test_bench"
const url = `${baseUrl}/v1/account/api-keys/ak_bench`
const headers = { authorization: `Bearer ${token}`, accept: "application/json" }

const rawUndici = async () => {
  const { body } = await request(url, { headers })
  return JSON.parse(await body.text()) as unknown
}
const rawFetch = async () => {
  const response = await fetch(url, { headers })
  return JSON.parse(await response.text()) as unknown
}
const typed = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } })
const viaOpenapiFetch = async () => {
  const { data, error } = await typed.GET("/v1/account/api-keys/{id}", { params: { path: { id: "ak_bench" } } })
  return data ?? error
}

const loaded = new Map<Line, LoadedLine>()
for (const line of [...lines]) {
  try {
    loaded.set(line, await loadLine(line, baseUrl, token))
    await loaded.get(line)!.sync.one()
  } catch (error) {
    notes.push(`bytekit-effect ${line} left out: it failed to load or call (${String(error).slice(0, 200)})`)
    lines.splice(lines.indexOf(line), 1)
  }
}

interface Variant {
  readonly key: string
  readonly name: string
  readonly line: Line | "-"
  readonly one: () => Promise<unknown> | unknown
  readonly many?: ((n: number) => Promise<unknown>) | undefined
}
const BASELINE = "undici"
const variants: Array<Variant> = [
  { key: BASELINE, name: "raw `undici.request` + `JSON.parse`", line: "-", one: rawUndici, many: pool(rawUndici) },
  { key: "fetch", name: "raw `fetch` + `JSON.parse`", line: "-", one: rawFetch, many: pool(rawFetch) },
  { key: "openapi-fetch", name: "openapi-fetch (typed from the contract)", line: "-", one: viaOpenapiFetch, many: pool(viaOpenapiFetch) }
]
for (const [line, l] of loaded) {
  variants.push(
    { key: `${line} effect`, name: "Effect API, `FetchHttpClient` (default)", line, ...l.effectDefault },
    { key: `${line} effect fast`, name: `Effect API, ${l.fastLabel}`, line, ...l.effectFast },
    { key: `${line} asyncio`, name: "`asyncio` (default client)", line, ...l.asyncio },
    { key: `${line} sync`, name: "`sync`, steady state", line, ...l.sync }
  )
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const fixed = (n: number, digits = 2) => Number(n.toFixed(digits))

// Warm every path (JIT, connections, the sync workers) before measuring.
for (const variant of variants) for (let i = 0; i < warmup; i++) await variant.one()

// Rounds interleave the variants (drift on the machine hits them alike); a round's figure is a
// block's wall time over its calls. Reported: the median of rounds, and the median of the per-round
// ratios to the baseline's block of the same round. No GC is forced anywhere in between.
const c1 = new Map<string, Array<number>>(variants.map((v) => [v.key, []]))
const c64 = new Map<string, Array<number>>(variants.filter((v) => v.many).map((v) => [v.key, []]))
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const start = performance.now()
    for (let i = 0; i < perRound; i++) await variant.one()
    c1.get(variant.key)!.push(((performance.now() - start) * 1000) / perRound)
  }
  for (const variant of variants) {
    if (variant.many === undefined) continue
    const start = performance.now()
    await variant.many(concurrentCalls)
    c64.get(variant.key)!.push(((performance.now() - start) * 1000) / concurrentCalls)
  }
}
const ratioOf = (samples: Map<string, Array<number>>, key: string) => {
  const own = samples.get(key)!
  const base = samples.get(BASELINE)!
  return fixed(median(own.map((us, round) => us / base[round]!)))
}
const calls = variants.map((variant) => ({
  variant: variant.name,
  line: variant.line,
  key: variant.key,
  c1Us: fixed(median(c1.get(variant.key)!), 1),
  c1Ratio: ratioOf(c1, variant.key),
  c64Us: c64.has(variant.key) ? fixed(median(c64.get(variant.key)!), 1) : null,
  c64Ratio: c64.has(variant.key) ? ratioOf(c64, variant.key) : null
}))
const row = (key: string) => calls.find((c) => c.key === key)
await Promise.all([...loaded.values()].map((l) => l.dispose()))
console.log(`calls measured (${((performance.now() - started) / 1000).toFixed(0)} s)`)

// Cold start: spawn → first response, in fresh processes, interleaved.
const coldModes = ["raw-fetch", "raw-undici", ...lines] as const
const coldSamples = new Map<string, Array<number>>(coldModes.map((m) => [m, []]))
for (let i = 0; i < coldRuns; i++) {
  for (const mode of coldModes) {
    coldSamples.get(mode)!.push(await child([bench("cold.mjs"), baseUrl, mode]).then((r) => r.ms, (error) => {
      notes.push(`cold start ${mode} failed: ${String(error).slice(0, 200)}`)
      return Number.NaN
    }))
  }
}
const coldMs = Object.fromEntries(coldModes.map((m) => [m, fixed(median(coldSamples.get(m)!), 0)])) as Record<string, number>

// The first sync call after import, in fresh processes (it starts the sync worker).
const firstSync: Partial<Record<Line, { importMs: number; firstCallMs: number; steadyMs: number }>> = {}
for (const line of lines) {
  const runs: Array<{ importMs: number; first: number; median: number }> = []
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    runs.push(await child<{ importMs: number; first: number; median: number }>([bench("worker-start.mjs"), baseUrl, line]).then((r) => r.value, (error) => {
      notes.push(`first sync ${line} failed: ${String(error).slice(0, 200)}`)
      return { importMs: Number.NaN, first: Number.NaN, median: Number.NaN }
    }))
  }
  firstSync[line] = {
    importMs: fixed(median(runs.map((r) => r.importMs)), 0),
    firstCallMs: fixed(median(runs.map((r) => r.first)), 0),
    steadyMs: fixed(median(runs.map((r) => r.median)), 2)
  }
}
console.log(`cold start and first sync measured (${((performance.now() - started) / 1000).toFixed(0)} s)`)

// Memory: each path alone in a fresh process, read after a full GC every 10% of the run.
type Reading = { calls: number; heapMiB: number; rssMiB: number }
const memoryModes = ["raw-undici", ...lines.flatMap((line) => [`${line}-effect`, `${line}-asyncio`])]
const memory: Record<string, { readings: Array<Reading>; heapGrowthSecondHalfMiB: number; rssGrowthMiB: number; rssGrowthSecondHalfMiB: number }> = {}
for (const mode of memoryModes) {
  const readings = await new Promise<Array<Reading>>((resolve, reject) => {
    let output = ""
    const proc = spawn(process.execPath, ["--expose-gc", bench("memory.mjs"), baseUrl, String(memoryCalls), mode], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    proc.stdout.on("data", (chunk) => (output += chunk))
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(output) as Array<Reading>) : reject(new Error(`memory ${mode} exited ${code}`))))
  })
  const half = readings.slice(Math.floor(readings.length / 2))
  memory[mode] = {
    readings,
    // Heap: the second half of the run against the first, so one-off growth does not count.
    heapGrowthSecondHalfMiB: fixed(half[half.length - 1]!.heapMiB - half[0]!.heapMiB, 1),
    // RSS: from the end of warm-up to the end of the run.
    rssGrowthMiB: fixed(readings[readings.length - 1]!.rssMiB - readings[0]!.rssMiB, 1),
    // RSS over the second half: a leak keeps growing there; the allocator's one-off step does not.
    rssGrowthSecondHalfMiB: fixed(half[half.length - 1]!.rssMiB - half[0]!.rssMiB, 1)
  }
}
console.log(`memory measured (${((performance.now() - started) / 1000).toFixed(0)} s)`)

const bundles = await bundleSizes()

// Emulator store churn: create+revoke pairs on a data file; the last tenth within 1.3x the first.
const churnResult = churn(quick ? 2_000 : 10_000)
server.stop()

// The speed issue's targets, per line.
const limits = {
  "2.x": { effectC1: 2.0, effectC64: 1.7, firstSyncMs: 150, coldVsFetch: 1.5, bundleEffect: 48, bundleAsyncio: 52 },
  // 1.x bundles: "no worse than today" (README before this bench: 85.9 / 87.6 kB).
  "1.x": { effectC1: 3.0, effectC64: 2.5, firstSyncMs: 250, coldVsFetch: 2.0, bundleEffect: 85.9, bundleAsyncio: 87.6 }
} as const
type Check = { target: string; limit: string; measured: string; met: boolean }
const perLine: Partial<Record<Line, Record<string, unknown> & { targets: Array<Check> }>> = {}
for (const line of lines) {
  const limit = limits[line]
  const fast = row(`${line} effect fast`)!
  // Node's default transport: the line's bytekit-effect/node layer where it has one, else fetch.
  const effect = loaded.get(line)!.fastIsNodeDefault ? fast : row(`${line} effect`)!
  const asyncio = row(`${line} asyncio`)!
  const sync = row(`${line} sync`)!
  const first = firstSync[line]!
  const cold = coldMs[line]! / coldMs["raw-fetch"]!
  const lineBundles = bundles[line]
  const mem = [memory[`${line}-effect`]!, memory[`${line}-asyncio`]!]
  const undiciRss = memory["raw-undici"]!.rssGrowthMiB
  const targets: Array<Check> = [
    { target: "Effect API, default transport, c=1", limit: `≤ ${limit.effectC1}×`, measured: `${effect.c1Ratio}×`, met: effect.c1Ratio <= limit.effectC1 },
    { target: "Effect API, default transport, c=64", limit: `≤ ${limit.effectC64}×`, measured: `${effect.c64Ratio}×`, met: effect.c64Ratio! <= limit.effectC64 },
    {
      target: "`asyncio` over Effect API (c=1 / c=64)",
      limit: "≤ 1.1",
      measured: `${fixed(asyncio.c1Ratio / effect.c1Ratio)} / ${fixed(asyncio.c64Ratio! / effect.c64Ratio!)}`,
      met: asyncio.c1Ratio <= effect.c1Ratio * 1.1 && asyncio.c64Ratio! <= effect.c64Ratio! * 1.1
    },
    {
      target: "`sync` over `asyncio`, steady state",
      limit: "≤ +0.2 ms",
      measured: `+${fixed((sync.c1Us - asyncio.c1Us) / 1000)} ms`,
      met: sync.c1Us - asyncio.c1Us <= 200
    },
    { target: "first sync call after import", limit: `≤ ${limit.firstSyncMs} ms`, measured: `${first.firstCallMs} ms`, met: first.firstCallMs <= limit.firstSyncMs },
    { target: "spawn → first `asyncio` response, × raw fetch's", limit: `≤ ${limit.coldVsFetch}×`, measured: `${fixed(cold)}× (${coldMs[line]} ms)`, met: cold <= limit.coldVsFetch },
    {
      target: "one operation's browser bundle, min+gzip (Effect API / `asyncio`)",
      limit: `≤ ${limit.bundleEffect} / ${limit.bundleAsyncio} KiB`,
      measured: lineBundles ? `${lineBundles["Effect API: getApiKey"]!.gzipKiB} / ${lineBundles["asyncio: getApiKey"]!.gzipKiB}` : "not built",
      met: lineBundles !== undefined && lineBundles["Effect API: getApiKey"]!.gzipKiB <= limit.bundleEffect &&
        lineBundles["asyncio: getApiKey"]!.gzipKiB <= limit.bundleAsyncio
    },
    {
      target: `memory over ${memoryCalls} calls (Effect API / \`asyncio\`)`,
      limit: "flat heap; RSS growth ≤ raw undici's + 20 MiB",
      measured: `heap ${mem.map((m) => `${m.heapGrowthSecondHalfMiB >= 0 ? "+" : ""}${m.heapGrowthSecondHalfMiB}`).join(" / ")} MiB, RSS ${
        mem.map((m) => `${m.rssGrowthMiB >= 0 ? "+" : ""}${m.rssGrowthMiB}`).join(" / ")
      } MiB (raw undici ${undiciRss >= 0 ? "+" : ""}${undiciRss})`,
      // Flat: under 2 MiB of heap growth over the second half (noise between GC readings is ~1 MiB).
      met: mem.every((m) => m.heapGrowthSecondHalfMiB < 2 && m.rssGrowthMiB <= undiciRss + 20)
    }
  ]
  perLine[line] = {
    effectDefault: { c1: effect.c1Ratio, c64: effect.c64Ratio, c1Us: effect.c1Us, c64Us: effect.c64Us },
    effectFastest: { transport: loaded.get(line)!.fastLabel, c1: fast.c1Ratio, c64: fast.c64Ratio, c1Us: fast.c1Us, c64Us: fast.c64Us },
    asyncio: { c1: asyncio.c1Ratio, c64: asyncio.c64Ratio, c1Us: asyncio.c1Us, c64Us: asyncio.c64Us },
    sync: { c1: sync.c1Ratio, c1Us: sync.c1Us, overAsyncioMs: fixed((sync.c1Us - asyncio.c1Us) / 1000, 3) },
    firstSync: first,
    coldStart: { ms: coldMs[line], vsRawFetch: fixed(cold) },
    memory: { effect: mem[0], asyncio: mem[1] },
    bundles: lineBundles ?? null,
    targets
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`
}
const md = (header: ReadonlyArray<string>, body: ReadonlyArray<ReadonlyArray<string | number>>) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.join(" | ")} |`)].join("\n")
const ratio = (n: number | null) => (n === null ? "" : n.toFixed(2))
console.log(
  `\n### getApiKey per call, ratio to raw undici (${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ` +
    `median of ${rounds} interleaved rounds${quick ? ", BENCH_QUICK" : ""})\n`
)
console.log(md(
  ["Variant", "Line", "c=1 µs/call", "c=1 × undici", "c=64 µs/call", "c=64 × undici"],
  calls.map((c) => [c.variant, c.line, c.c1Us.toFixed(0), ratio(c.c1Ratio), c.c64Us === null ? "" : c.c64Us.toFixed(0), ratio(c.c64Ratio)])
))
console.log(`\n### Targets (issue 11)\n`)
console.log(md(
  ["Target", ...lines.flatMap((l) => [`${l} limit`, `${l} measured`, `${l} met`])],
  (perLine[lines[0]!]?.targets ?? []).map((check, i) => [
    check.target,
    ...lines.flatMap((l) => {
      const own = perLine[l]!.targets[i]!
      return [own.limit, own.measured, own.met ? "yes" : "**no**"]
    })
  ])
))
console.log(`\nCold start, spawn → first response (median of ${coldRuns}): ${Object.entries(coldMs).map(([k, v]) => `${k} ${v} ms`).join(", ")}`)
for (const line of lines) {
  const f = firstSync[line]!
  console.log(`First sync call after import, ${line}: ${f.firstCallMs} ms (import ${f.importMs} ms; then ${f.steadyMs} ms a call)`)
}
console.log(`\nMemory over ${memoryCalls} calls, each path alone in a fresh process (after a full GC every tenth; RSS growth from the end of warm-up):`)
console.log(md(["Path", "heap MiB (start → end)", "heap growth, 2nd half", "RSS MiB (start → end)", "RSS growth", "RSS growth, 2nd half", "RSS MiB readings"], Object.entries(memory).map(([mode, m]) => [
  mode,
  `${m.readings[0]!.heapMiB} → ${m.readings[m.readings.length - 1]!.heapMiB}`,
  m.heapGrowthSecondHalfMiB,
  `${m.readings[0]!.rssMiB} → ${m.readings[m.readings.length - 1]!.rssMiB}`,
  m.rssGrowthMiB,
  m.rssGrowthSecondHalfMiB,
  m.readings.map((r) => Math.round(r.rssMiB)).join(" ")
])))
console.log("\nBrowser bundles (esbuild, minified + gzip, KiB):")
console.log(md(["Entry", ...lines.map((l) => `${l} gzip`), ...lines.map((l) => `${l} over floor`)], Object.keys(bundles[lines[0]!] ?? {}).map((entry) => [
  entry + (lines.some((l) => bundles[l]?.[entry]?.nodeOrEmulatorCode) ? " (Node/emulator code got in)" : ""),
  ...lines.map((l) => bundles[l]?.[entry]?.gzipKiB ?? ""),
  ...lines.map((l) => bundles[l]?.[entry]?.overFloorGzipKiB ?? "")
])))
console.log(
  `\nEmulator churn, ${churnResult.pairs} create+revoke pairs: first tenth ${churnResult.firstTenthMsPerPair} ms/pair, ` +
    `last tenth ${churnResult.lastTenthMsPerPair} ms/pair (x${churnResult.ratio}; x${churnResult.interleaved.ratio} against a fresh store interleaved)`
)
for (const note of notes) console.log(`NOTE: ${note}`)
const seconds = fixed((performance.now() - started) / 1000, 0)
console.log(`\nbench: ${seconds} s`)
writeFileSync(
  process.env["BENCH_RESULTS"] ?? new URL("results.json", import.meta.url),
  `${JSON.stringify({
    date: new Date().toISOString(),
    machine,
    quick,
    seconds,
    baseline: "undici.request + JSON.parse (ratio 1.00)",
    rounds,
    lines: perLine,
    calls,
    coldStartMs: coldMs,
    firstSync,
    memory: { calls: memoryCalls, byPath: memory },
    bundles,
    churn: churnResult,
    notes
  }, null, 2)}\n`
)
process.exit(0)
