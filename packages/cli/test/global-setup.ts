/**
 * Before the suite: the CLI must be built (the tests run the real `dist/bin.js`), and the repo's
 * emulator is bundled into test/.emulator (one file, its Effect 3 inside), so a rebuild of the repo's
 * dist by someone else mid-run cannot pull it away. Falls back to the repo's built
 * dist/emulator-bin.js when the repo's sources cannot be bundled.
 */
import { build } from "esbuild"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"

const pkg = fileURLToPath(new URL("..", import.meta.url))
const repo = fileURLToPath(new URL("../../..", import.meta.url))
const bundled = `${pkg}test/.emulator/emulator-bin.mjs`

export default async function setup({ provide }: { provide: (key: "emulatorBin", value: string) => void }) {
  if (!existsSync(`${pkg}dist/bin.js`)) execFileSync("npm", ["run", "build"], { cwd: pkg, stdio: "inherit" })
  let bin = bundled
  try {
    mkdirSync(`${pkg}test/.emulator`, { recursive: true })
    await build({
      entryPoints: [`${repo}src/emulator/bin.ts`],
      outfile: bundled,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
      // jose and effect 3 come from the repo's node_modules, resolved from the sources' location.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
    })
  } catch (error) {
    const built = `${repo}dist/emulator-bin.js`
    if (!existsSync(built)) {
      throw new Error(`cannot bundle the emulator (${String(error)}) and ${built} is not built: run npm ci at the repo root`)
    }
    bin = built
  }
  provide("emulatorBin", bin)
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorBin: string
  }
}
