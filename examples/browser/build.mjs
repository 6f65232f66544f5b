// Bundles the page's script from a line's built package (its dist/, browser conditions) with esbuild:
//
//   node examples/browser/build.mjs            the 1.x line (the root package, Effect 3)
//   node examples/browser/build.mjs --line 2   the 2.x line (packages/effect4, Effect 4)
//
// The page is written once, as 1.x spells it; for 2.x, `bytekit-effect` and `effect` resolve from
// packages/effect4 (its dist and its Effect 4), and `@effect/platform`'s FetchHttpClient is Effect
// 4's, from `effect/http`: the one import the lines spell differently.
import { build } from "esbuild"
import { parseArgs } from "node:util"

const { values: args } = parseArgs({ options: { line: { type: "string", default: "1" } } })
const lines = {
  "1": { dir: new URL("../../", import.meta.url).pathname, platform: "@effect/platform" },
  "2": { dir: new URL("../../packages/effect4/", import.meta.url).pathname, platform: "effect/http" }
}
const line = lines[args.line]
if (line === undefined) throw new Error(`--line is ${Object.keys(lines).join(" or ")}, not ${args.line}`)

/** The page's own imports of the SDK and Effect, resolved from the line's package. */
const fromLine = {
  name: "from-line",
  setup(build) {
    build.onResolve({ filter: /^(bytekit-effect|effect|@effect\/platform)(\/|$)/ }, (resolving) => {
      if (resolving.pluginData?.fromLine || !resolving.importer.endsWith("/app.ts")) return undefined
      const path = resolving.path === "@effect/platform" ? line.platform : resolving.path
      return build.resolve(path, { kind: resolving.kind, resolveDir: line.dir, pluginData: { fromLine: true } })
    })
  }
}

await build({
  entryPoints: [new URL("app.ts", import.meta.url).pathname],
  outfile: new URL("dist/app.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  // Resolve bytekit-effect through its package exports (the built dist), not tsconfig paths to src.
  tsconfigRaw: { compilerOptions: {} },
  plugins: [fromLine],
  logLevel: "warning"
})
