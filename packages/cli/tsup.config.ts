import type { Plugin } from "esbuild"
import { fileURLToPath } from "node:url"
import { defineConfig } from "tsup"

const here = fileURLToPath(new URL(".", import.meta.url))

/**
 * The SDK is linked from ../effect4, which has its own `effect` (a devDependency): every import of
 * `effect` (or `@effect/*`), wherever it comes from, resolves from this package, so the bundle holds
 * one copy (two copies do not share Redacted's registry, services or fibers).
 */
const oneEffect: Plugin = {
  name: "one-effect",
  setup(build) {
    build.onResolve({ filter: /^(effect|@effect\/[^/]+)(\/.*)?$/ }, (args) => {
      if (args.pluginData === "one-effect") return undefined
      return build.resolve(args.path, { resolveDir: here, kind: args.kind, pluginData: "one-effect" })
    })
  }
}

// One ESM file with everything bundled (effect, the SDK, the Node services): fewer modules to
// resolve at start-up.
export default defineConfig({
  entry: { bin: "src/bin.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  bundle: true,
  noExternal: [/.*/],
  // The emulator (with its own Effect 3) is a chunk of its own, loaded by `bytekit emulator` only.
  splitting: true,
  sourcemap: false,
  minify: true,
  treeshake: true,
  banner: { js: "#!/usr/bin/env node" },
  esbuildPlugins: [oneEffect],
  esbuildOptions(options) {
    // The SDK's emulator entry imports its esbuild helper chunk bare; dropping that import is right.
    options.logOverride = { "ignored-bare-import": "silent" }
  }
})
