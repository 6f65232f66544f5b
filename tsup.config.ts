import { defineConfig } from "tsup"

// One build, two formats: ESM (.js) and CommonJS (.cjs), each with its declarations.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
    node: "src/node.ts",
    contract: "src/contract/index.ts",
    emulator: "src/emulator/index.ts",
    "emulator-bin": "src/emulator/bin.ts",
    // The sync forms' worker; blocking.ts finds it beside its own chunk in dist/.
    "sync-worker": "src/adapters/sync-worker.ts",
    ...Object.fromEntries(
      ["createApiKey", "getAccount", "getApiKey", "listApiKeys", "revealApiKey", "revokeApiKey", "updateApiKey"].map(
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
