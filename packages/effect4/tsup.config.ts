import type { Plugin } from "esbuild"
import { fileURLToPath } from "node:url"
import { defineConfig } from "tsup"
import { operationNames } from "../../src/core/operations.js"

const lineSources = fileURLToPath(new URL("./src/", import.meta.url))

/**
 * `effect` is the user's (4.x) and external; a root source bundled in (src/core, src/emulator)
 * must not import it, or the user's Effect 4 would be handed Effect 3 code: the build fails instead.
 */
const noEffectOutsideTheLine: Plugin = {
  name: "no-effect-outside-the-line",
  setup(build) {
    build.onResolve({ filter: /^(effect|@effect\/[^/]+)(\/.*)?$/ }, (args) =>
      args.importer.startsWith(lineSources) || args.importer === ""
        ? { path: args.path, external: true }
        : { errors: [{ text: `${args.importer} imports ${args.path}: the shared root sources must need no Effect` }] })
  }
}

// One call-style module per operation of the core's table: a new operation cannot miss its entry.
// The 2.x line: ESM (.js) and CommonJS (.cjs), each with its declarations. The root sources it
// imports need no Effect (src/core, src/emulator but its 1.x layers) and are bundled in; `effect`
// (the user's, 4.x) and `jose` stay external.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
    node: "src/node.ts",
    contract: "src/contract/index.ts",
    emulator: "src/emulator.ts",
    "emulator-bin": "../../src/emulator/bin.ts",
    // The sync forms' worker; blocking.ts finds it beside its own chunk in dist/.
    "sync-worker": "src/adapters/sync-worker.ts",
    ...Object.fromEntries(
      operationNames.map(
        (name) => [`api/account/${name}`, `src/api/account/${name}.ts`]
      )
    )
  },
  // import.meta.url in the CommonJS build, for the worker's path.
  shims: true,
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", client: "src/client.ts", node: "src/node.ts", contract: "src/contract/index.ts", emulator: "src/emulator.ts", ...Object.fromEntries(
    operationNames.map(
      (name) => [`api/account/${name}`, `src/api/account/${name}.ts`]
    )
  ) } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  external: ["effect", "jose"],
  esbuildPlugins: [noEffectOutsideTheLine]
})
