import { defineConfig } from "tsup"

// One build, two formats: ESM (.js) and CommonJS (.cjs), each with its declarations.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    contract: "src/contract/index.ts",
    emulator: "src/emulator/index.ts",
    "emulator-bin": "src/emulator/bin.ts"
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  external: ["effect", "@effect/platform", "jose"]
})
