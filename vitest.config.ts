import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// The 1.x line (Effect 3). `#line/…` and `#line-test/…` name the line's own module where Effect 3
// and 4 differ; here that is the root's (packages/effect4/vitest.config.ts maps them to 2.x first).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^#line\/(.*)$/, replacement: `${here("./src/")}$1` },
      { find: /^#line-test\/(.*)$/, replacement: `${here("./test/")}$1` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
