// Bundles the page's script from the built package (dist/, browser conditions) with esbuild.
import { build } from "esbuild"

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
  logLevel: "warning"
})
