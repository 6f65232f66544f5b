/**
 * The sources of the two small threads around the sync forms' worker, as CommonJS text run with
 * `eval: true`: they need no file on disk, whatever bundler, module format or loader runs the SDK.
 *
 * The supervisor starts with no flags and no `NODE_OPTIONS`, so no user preload or loader can stop
 * it. It starts the worker with the parent's flags (as a worker inherits them by default), watches
 * its `error` and `exit` events (which the blocked thread cannot receive) and reports a stop through
 * shared memory, waking the blocked thread at once.
 */
import { workerSlot, workerState } from "./wire.js"

/**
 * Flags a worker accepts explicitly and that decide how modules load: kept when Node refuses the
 * parent's full list (it refuses per-process flags such as `--expose-gc` given to a worker).
 */
const loaderFlags = String.raw`^(-r|-C|--(import|require|loader|experimental-loader|conditions|experimental-[a-z-]+|no-experimental-[a-z-]+|enable-source-maps|no-warnings|disable-warning|preserve-symlinks|preserve-symlinks-main|env-file|unhandled-rejections))(=|$)`

/** Of those, the ones whose value is the next argument when not given with `=`. */
const valueFlags = String.raw`^(-r|-C|--(import|require|loader|experimental-loader|conditions|disable-warning|env-file))$`

/**
 * Runs in the worker when the SDK runs from its TypeScript sources (tsx, vitest): registers tsx's
 * hooks for this thread, then loads the worker module. tsx's `--import` form registers itself in
 * the main thread only (on Node 20), so a worker inheriting `--import tsx` still cannot load `.ts`.
 * tsx is looked for beside the loader the parent was started with, then from the SDK's sources,
 * then from the working directory.
 */
export const typescriptBootstrapSource = String.raw`"use strict"
const { workerData } = require("node:worker_threads")
const { createRequire } = require("node:module")
const { existsSync } = require("node:fs")
const { dirname, join } = require("node:path")
const { fileURLToPath, pathToFileURL } = require("node:url")
const entry = workerData.entry
const tsxPackage = () => {
  const tried = []
  for (const flag of process.execArgv) {
    try {
      const match = /^(.*[\\/]tsx[\\/])dist[\\/]/.exec(flag.startsWith("file:") ? fileURLToPath(flag) : flag)
      if (match) tried.push(join(match[1], "package.json"))
    } catch {}
  }
  for (const from of [fileURLToPath(entry), join(process.cwd(), "noop.js")]) {
    try {
      tried.push(createRequire(from).resolve("tsx/package.json"))
    } catch {}
  }
  return tried.find((path) => existsSync(path))
}
const load = async () => {
  const found = tsxPackage()
  if (found === undefined) {
    throw new Error("no TypeScript loader for worker threads (tsx) was found from " + fileURLToPath(entry) + " or the working directory")
  }
  const api = require(found).exports?.["./esm/api"]?.import?.default ?? "./dist/esm/api/index.mjs"
  const { register } = await import(pathToFileURL(join(dirname(found), api)).href)
  register()
  await import(entry)
}
load().catch((error) => {
  // Thrown outside the promise, so the worker reports it as its error and stops.
  process.nextTick(() => {
    throw error
  })
})
`

/**
 * The supervisor. `workerData`: `entry` (the worker module's URL), `typescript` (load it through
 * the TypeScript bootstrap), `execArgv` and `env` for the worker, the shared `status`, the `calls`
 * port it hands to the worker, and the `stops` port it reports a stop on.
 */
export const supervisorSource = String.raw`"use strict"
const { Worker, workerData } = require("node:worker_threads")
const { calls, entry, env, execArgv, status, stops, typescript } = workerData
const STATE = ${workerSlot.state}, WAKES = ${workerSlot.wakes}
Atomics.compareExchange(status, STATE, ${workerState.starting}, ${workerState.supervised})
let stopped = false
const stop = (cause) => {
  if (stopped) return
  stopped = true
  const phase = Atomics.load(status, STATE) === ${workerState.ready} ? "run" : "load"
  stops.postMessage({ phase, cause })
  Atomics.store(status, STATE, ${workerState.stopped})
  Atomics.add(status, WAKES, 1)
  Atomics.notify(status, WAKES)
}
const describe = (error) => {
  const message = error !== null && typeof error === "object" && "message" in error ? String(error.message) : String(error)
  return message.split("\n")[0].slice(0, 500)
}
const loaderFlags = new RegExp(${JSON.stringify(loaderFlags)})
const valueFlags = new RegExp(${JSON.stringify(valueFlags)})
const loaderOnly = (argv) => {
  const kept = []
  for (let i = 0; i < argv.length; i++) {
    if (!loaderFlags.test(argv[i])) continue
    kept.push(argv[i])
    if (valueFlags.test(argv[i]) && i + 1 < argv.length) kept.push(argv[++i])
  }
  return kept
}
const start = (argv) =>
  typescript
    ? new Worker(${JSON.stringify(typescriptBootstrapSource)}, { eval: true, execArgv: argv, env, workerData: { entry, status } })
    : new Worker(new URL(entry), { execArgv: argv, env, workerData: { status } })
let worker
try {
  // The parent's flags; then only those that load modules; then none, as Node refuses some.
  for (const argv of [execArgv, loaderOnly(execArgv), []]) {
    try {
      worker = start(argv)
      break
    } catch (error) {
      if (error === null || typeof error !== "object" || error.code !== "ERR_WORKER_INVALID_EXEC_ARGV" || argv.length === 0) throw error
    }
  }
  worker.on("error", (error) => stop(describe(error)))
  worker.on("exit", (code) => stop("the worker exited with code " + code))
  worker.postMessage({ calls }, [calls])
} catch (error) {
  stop(describe(error))
}
`
