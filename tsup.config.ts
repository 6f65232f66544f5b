import { defineConfig } from "tsup"
import { operationNames } from "./src/core/operations.js"

// One build, two formats: ESM (.js) and CommonJS (.cjs), each with its declarations. One call-style
// module per operation of the core's table: a new operation cannot miss its entry.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
    node: "src/node.ts",
    contract: "src/contract/index.ts",
    emulator: "src/emulator/index.ts",
    "emulator-bin": "src/emulator/bin.ts",
    // The sync forms' worker; blocking.ts finds it beside its own chunk in dist/.
    "sync-worker": "src/internal/adapters/sync-worker.ts",
    ...Object.fromEntries(
      operationNames.map(
        (name) => [`api/account/${name}`, `src/api/account/${name}.ts`]
      )
    )
  },
  // import.meta.url in the CommonJS build, for the worker's path.
  shims: true,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  external: ["effect", "@effect/platform", "jose"]
})
