import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Plugin } from "vite"
import { configDefaults, defineConfig } from "vitest/config"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const lineFirst = {
  "#line/": [here("./src/"), here("../../src/")],
  "#line-test/": [here("./test/"), here("../../test/")]
} as const

/**
 * The 2.x line (Effect 4), running the one suite of the repository root and its own tests.
 * `#line/x` and `#line-test/x` are the 2.x module where Effect 4 differs (packages/effect4/src/x),
 * else the shared one (src/x), as tsconfig.json's paths say for the compiler. `effect`, `vitest`
 * and `bytekit-effect` resolve from this package whoever imports them: a root test or source must
 * get Effect 4, this vitest and the 2.x package, not the root's.
 */
const line: Plugin = {
  name: "bytekit-effect-2x-line",
  enforce: "pre",
  async resolveId(source, importer, options) {
    for (const [prefix, dirs] of Object.entries(lineFirst)) {
      if (!source.startsWith(prefix)) continue
      const rest = source.slice(prefix.length)
      for (const dir of dirs) {
        const candidate = dir + rest
        if (existsSync(candidate) || existsSync(candidate.replace(/\.js$/, ".ts"))) {
          return this.resolve(candidate, importer, { ...options, skipSelf: true })
        }
      }
      return null
    }
    // The 1.x build (../../dist, loaded where a test checks what holds across lines) keeps its own.
    if (
      /^(effect|vitest|bytekit-effect)(\/|$)/.test(source) && importer !== undefined && !importer.startsWith(here("./")) &&
      !importer.startsWith(here("../../dist/"))
    ) {
      return this.resolve(source, here("./vitest.config.ts"), { ...options, skipSelf: true })
    }
    return null
  }
}

// tsx, where it runs the sources (the sync worker from source, test fixtures), reads the same paths
// with Effect 4's JavaScript; child processes and workers inherit this.
process.env.TSX_TSCONFIG_PATH = here("./tsconfig.run.json")

/** Root tests that need no Effect: the 1.x run covers them. tsconfig.json excludes the same. */
const onlyOnce = ["test/durable.test.ts", "test/emulator*.test.ts"]

export default defineConfig({
  plugins: [line],
  test: {
    dir: here("../.."),
    // The line's own tests and the shared suite; the emulator's tests (and the durable-store
    // one) need no Effect and run once, as 1.x.
    include: ["packages/effect4/test/**/*.test.ts", "test/*.test.ts"],
    exclude: [...configDefaults.exclude, ...onlyOnce],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
