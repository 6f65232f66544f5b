import type { Plugin } from "esbuild"
import { fileURLToPath } from "node:url"
import { defineConfig } from "tsup"

const lineSources = fileURLToPath(new URL("./src/", import.meta.url))

/**
 * Effect by importer: this line's sources import `effect` 4, the user's (external); the shared
 * emulator (the root's src/emulator, still on Effect 3 inside) gets its Effect 3 bundled in from the
 * root's node_modules, so `bytekit-effect/emulator` works whichever Effect the user has.
 */
const effectByImporter: Plugin = {
  name: "effect-by-importer",
  setup(build) {
    build.onResolve({ filter: /^(effect|@effect\/platform)(\/.*)?$/ }, (args) => {
      if (args.pluginData === "bundled") return undefined
      if (args.importer.startsWith(lineSources)) return { path: args.path, external: true }
      return build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: "bundled" })
    })
  }
}

// The 2.x line: ESM (.js) and CommonJS (.cjs), each with its declarations. Modules of the root
// sources that need no Effect (text, scrub) are bundled in; `jose` stays external.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
    contract: "src/contract/index.ts",
    emulator: "src/emulator.ts",
    "emulator-bin": "../../src/emulator/bin.ts",
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
  dts: { entry: { index: "src/index.ts", client: "src/client.ts", contract: "src/contract/index.ts", emulator: "src/emulator.ts", ...Object.fromEntries(
    ["createApiKey", "getAccount", "getApiKey", "listApiKeys", "revealApiKey", "revokeApiKey", "updateApiKey"].map(
      (name) => [`api/account/${name}`, `src/api/account/${name}.ts`]
    )
  ) } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  external: ["jose"],
  noExternal: [/^effect(\/.*)?$/, /^@effect\/platform(\/.*)?$/],
  esbuildPlugins: [effectByImporter]
})
