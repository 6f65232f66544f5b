// The two lines of bytekit-effect, each loaded from its built dist/ with its own Effect (1.x: Effect 3
// + @effect/platform from the root node_modules; 2.x: Effect 4 from packages/effect4/node_modules), so
// both run side by side in one process. Plain JavaScript: 2.x's dist may be missing, so nothing here
// is type-checked against it (lines.d.mts gives run.ts the shape).
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const v2Root = `${root}packages/effect4/`
const load = (path) => import(pathToFileURL(path).href)

const packageRoots = { "1.x": root, "2.x": v2Root }
// A snapshot of the dists (see snapshotLines) when run.ts made one; children inherit it.
const snapshotDir = process.env["BYTEKIT_BENCH_SNAPSHOT"]
const distOf = (line) => snapshotDir ? join(snapshotDir, line, "dist/") : `${packageRoots[line]}dist/`

/** Where each line's built package and Effect live. */
export const lineDirs = {
  "1.x": { dist: distOf("1.x"), effect: `${root}node_modules/effect/dist/esm/` },
  "2.x": { dist: distOf("2.x"), effect: `${v2Root}node_modules/effect/dist/` }
}

const complete = (dist) =>
  ["index.js", "client.js", "sync-worker.js", "api/account/getApiKey.js"].every((file) => existsSync(join(dist, file)))

/**
 * Copies each built line to a directory of its own under the system temp dir (dist/, package.json,
 * node_modules linked to the line's own), so that another build cleaning dist/ during the run changes
 * nothing; points lineDirs (and child processes, through BYTEKIT_BENCH_SNAPSHOT) at the copies.
 * A line not fully built, even after a few retries, is not copied.
 */
export const snapshotLines = async () => {
  const dir = mkdtempSync(join(tmpdir(), "bytekit-bench-"))
  for (const line of ["1.x", "2.x"]) {
    const from = packageRoots[line]
    const to = join(dir, line)
    // A dist/ being rebuilt by someone else is waited for (up to 30 s); a missing one is not.
    for (let attempt = 0; attempt < 10 && existsSync(`${from}dist`); attempt++) {
      if (complete(`${from}dist/`)) {
        mkdirSync(to, { recursive: true })
        cpSync(`${from}dist`, join(to, "dist"), { recursive: true })
        cpSync(`${from}package.json`, join(to, "package.json"))
        if (!existsSync(join(to, "node_modules"))) symlinkSync(`${from}node_modules`, join(to, "node_modules"), "dir")
        if (complete(join(to, "dist/"))) break
      }
      await new Promise((resolve) => setTimeout(resolve, 3000))
    }
    lineDirs[line].dist = join(to, "dist/")
  }
  process.env["BYTEKIT_BENCH_SNAPSHOT"] = dir
  return dir
}

/** Whether a line's dist (and its Effect) is there to load. */
export const lineAvailable = (line) => complete(lineDirs[line].dist) && existsSync(`${lineDirs[line].effect}Effect.js`)

/** Whether the line's own dist/ (not a snapshot) is built. */
export const lineBuilt = (line) => complete(`${packageRoots[line]}dist/`)

/** n calls of one(), 64 at a time, through promises (what plain code does). */
export const pool = (one) => async (n) => {
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < n) await one()
  }))
}

/**
 * One line's call paths for getApiKey against `baseUrl`: the Effect API over the line's default
 * transport (FetchHttpClient) and over the fastest transport it offers, asyncio on a default client,
 * sync. Each path has `one()` (a call) and, when it can run concurrently, `many(n)` (n calls, 64 at a
 * time: inside one Effect for the Effect API, through promises for asyncio).
 */
export const loadLine = async (line, baseUrl, token) => {
  const { dist, effect } = lineDirs[line]
  const [{ Account, BytekitClient }, { AuthenticatedClient }, getApiKey, Effect, Layer, ManagedRuntime] = await Promise.all([
    load(`${dist}index.js`),
    load(`${dist}client.js`),
    load(`${dist}api/account/getApiKey.js`),
    load(`${effect}Effect.js`),
    load(`${effect}Layer.js`),
    load(`${effect}ManagedRuntime.js`)
  ])
  let FetchHttpClient
  let fast
  // The line's own Node transport (bytekit-effect/node), where the line has one: the layer the
  // README tells Effect users on Node to provide, so it is what "Node's default transport" means.
  const nodeEntry = existsSync(`${dist}node.js`) ? await load(`${dist}node.js`) : undefined
  if (line === "1.x") {
    ;({ FetchHttpClient } = await import("@effect/platform"))
    const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
    fast = { label: "NodeHttpClient.layerUndici", layer: NodeHttpClient.layerUndici }
  } else {
    FetchHttpClient = await load(`${effect}http/FetchHttpClient.js`)
    // Effect 4's NodeHttpClient (@effect/platform-node 4) needs Node 22 and is not a dependency of the
    // line; what 2.x offers on Node 20 is FetchHttpClient over the fetch of the undici package.
    const { fetch: undiciFetch } = await import("undici")
    fast = {
      label: "FetchHttpClient over undici's fetch",
      layer: FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, undiciFetch)))
    }
  }
  if (nodeEntry !== undefined) fast = { label: "`bytekit-effect/node` (node:http)", layer: nodeEntry.NodeHttpClient.layer, sdkDefault: true }
  const runtimeOver = (http) =>
    ManagedRuntime.make(BytekitClient.layer({ baseUrl, apiKey: token }).pipe(Layer.provide(http)))
  const overFetch = runtimeOver(FetchHttpClient.layer)
  const overFast = runtimeOver(fast.layer)
  const client = new AuthenticatedClient({ baseUrl, token })
  const op = Account.getApiKey("ak_bench")
  const inEffect = (runtime) => (n) =>
    runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => op, { concurrency: 64, discard: true }))
  const asyncio = () => getApiKey.asyncio("ak_bench", client)
  return {
    line,
    fastLabel: fast.label,
    fastIsNodeDefault: fast.sdkDefault === true,
    effectDefault: { one: () => overFetch.runPromise(op), many: inEffect(overFetch) },
    effectFast: { one: () => overFast.runPromise(op), many: inEffect(overFast) },
    asyncio: { one: asyncio, many: pool(asyncio) },
    sync: { one: () => getApiKey.sync("ak_bench", client) },
    dispose: () => Promise.all([overFetch.dispose(), overFast.dispose(), client.dispose()])
  }
}
