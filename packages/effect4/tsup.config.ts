import { defineConfig } from "tsup"

// The 2.x line: ESM (.js) and CommonJS (.cjs), each with its declarations. Modules of the root
// sources that need no Effect (text, scrub) are bundled in; `effect` and `jose` stay external.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
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
  external: ["effect", "jose"]
})
