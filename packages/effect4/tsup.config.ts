import type { Plugin } from "esbuild"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { defineConfig } from "tsup"
import { operationNames } from "../../src/core/operations.js"

const root = fileURLToPath(new URL("../../", import.meta.url))

/** The 2.x module where Effect 4 differs (src/x), else the shared one (../../src/x). */
const source = (path: string) => (existsSync(path) ? path : `../../${path}`)

/**
 * `effect` is the user's (4.x) and external. A 1.x module must never be bundled in: `@effect/platform`
 * is Effect 3's, and a root module that has a 2.x twin here was reached by a relative import where
 * `#line/…` was meant (tsconfig.json's paths resolve `#line/x` to the twin first).
 */
const onlyThisLine: Plugin = {
  name: "only-this-line",
  setup(build) {
    build.onResolve({ filter: /^@effect\/platform(\/|$)/ }, (args) => ({
      errors: [{ text: `${args.importer} imports ${args.path}, Effect 3's: not for the 2.x line` }]
    }))
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(root + "src/")) return undefined
      const twin = fileURLToPath(new URL("./" + args.path.slice(root.length), import.meta.url))
      return existsSync(twin)
        ? { errors: [{ text: `${args.path} is the 1.x twin of ${twin}: import it as #line/…` }] }
        : undefined
    })
  }
}

const entries = {
  index: source("src/index.ts"),
  client: source("src/client.ts"),
  node: source("src/node.ts"),
  contract: source("src/contract/index.ts"),
  emulator: source("src/emulator/index.ts"),
  ...Object.fromEntries(operationNames.map((name) => [`api/account/${name}`, source(`src/api/account/${name}.ts`)]))
}

// One call-style module per operation of the core's table: a new operation cannot miss its entry.
// The 2.x line: ESM (.js) and CommonJS (.cjs), each with its declarations, built from this
// package's modules where Effect 4 differs and the shared root sources elsewhere; `effect` (the
// user's, 4.x) and `jose` stay external.
export default defineConfig({
  entry: {
    ...entries,
    "emulator-bin": "../../src/emulator/bin.ts",
    // The sync forms' worker; blocking.ts finds it beside its own chunk in dist/.
    "sync-worker": source("src/internal/adapters/sync-worker.ts")
  },
  // import.meta.url in the CommonJS build, for the worker's path.
  shims: true,
  format: ["esm", "cjs"],
  dts: { entry: entries },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  external: ["effect", "jose"],
  esbuildPlugins: [onlyThisLine]
})
