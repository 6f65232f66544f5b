// Packs the package and installs the tarball into throwaway projects, one per way people import it
// (ESM TypeScript with moduleResolution node16 and bundler, CommonJS JavaScript); each type-checks
// where it is TypeScript and runs one call against the emulator.
//
//   npm run build && node scripts/check-package.mjs
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..")
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

const work = mkdtempSync(join(tmpdir(), "bytekit-package-"))
const tarball = join(work, run("npm", ["pack", "--silent", "--pack-destination", work], root).trim().split("\n").pop())
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "consumers", private: true }))
// The README's 1.x install line, verbatim but for the tarball: it must resolve Effect 3.
const readmeLine = readFileSync(join(root, "README.md"), "utf8").split("\n").find((line) => line.startsWith("npm install bytekit-effect@^1 "))
if (readmeLine === undefined) throw new Error("README.md has no `npm install bytekit-effect@^1 …` line")
const readmeArgs = readmeLine.replace(/#.*$/, "").trim().split(/\s+/).slice(2).map((arg) => arg === "bytekit-effect@^1" ? tarball : arg)
run("npm", ["install", "--no-audit", "--no-fund", "--silent", ...readmeArgs], work)
const effectVersion = JSON.parse(readFileSync(join(work, "node_modules/effect/package.json"), "utf8")).version
if (!effectVersion.startsWith("3.")) throw new Error(`the README's 1.x line installed effect ${effectVersion}, not 3.x`)
run("npm", [
  "install", "--no-audit", "--no-fund", "--silent",
  `typescript@${own.devDependencies.typescript}`, `@types/node@${own.devDependencies["@types/node"]}`,
  `esbuild@${run("node", ["-p", "require('esbuild/package.json').version"], root).trim()}`
], work)

const program = (imports) => `${imports}
const emulator = await startEmulator()
const client = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.apiKey })
const viaAsyncio = await getAccount.asyncio(client)
const viaEffect = await Effect.runPromise(
  Account.listApiKeys().pipe(
    Effect.provide(BytekitClient.layer({ baseUrl: emulator.url, apiKey: emulator.apiKey })),
    Effect.provide(FetchHttpClient.layer)
  )
)
await client.dispose()
await emulator.stop()
if (viaAsyncio?.id !== "acct_demo" || viaEffect.data.length !== 1) throw new Error("unexpected answer")
console.log("ok")
`
const esmImports = `import { FetchHttpClient } from "@effect/platform"
import { Effect } from "effect"
import { Account, BytekitClient } from "bytekit-effect"
import { AuthenticatedClient } from "bytekit-effect/client"
import { startEmulator } from "bytekit-effect/emulator"
import * as getAccount from "bytekit-effect/api/account/getAccount"`

const projects = {
  "esm-ts-node16": () => {
    writeFileSync("package.json", JSON.stringify({ type: "module" }))
    writeFileSync("tsconfig.json", JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", target: "es2022", strict: true, outDir: "out", types: ["node"], skipLibCheck: false } }))
    writeFileSync("index.ts", program(esmImports))
    run(join(work, "node_modules/.bin/tsc"), ["-p", "."], process.cwd())
    return run("node", ["out/index.js"], process.cwd())
  },
  "esm-ts-bundler": () => {
    writeFileSync("package.json", JSON.stringify({ type: "module" }))
    writeFileSync("tsconfig.json", JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", target: "es2022", strict: true, noEmit: true, types: ["node"] } }))
    writeFileSync("index.ts", program(esmImports))
    run(join(work, "node_modules/.bin/tsc"), ["-p", "."], process.cwd())
    run(join(work, "node_modules/.bin/esbuild"), ["index.ts", "--bundle", "--platform=node", "--format=esm", "--packages=external", "--outfile=out.mjs", "--log-level=warning"], process.cwd())
    return run("node", ["out.mjs"], process.cwd())
  },
  "cjs-js": () => {
    writeFileSync("package.json", JSON.stringify({ type: "commonjs" }))
    writeFileSync("index.js", `const { FetchHttpClient } = require("@effect/platform")
const { Effect } = require("effect")
const { Account, BytekitClient } = require("bytekit-effect")
const { AuthenticatedClient } = require("bytekit-effect/client")
const { startEmulator } = require("bytekit-effect/emulator")
const getAccount = require("bytekit-effect/api/account/getAccount")
;(async () => {
${program("")}
})().catch((error) => { console.error(error); process.exit(1) })
`)
    return run("node", ["index.js"], process.cwd())
  }
}

let failed = false
for (const [name, check] of Object.entries(projects)) {
  const dir = join(work, name)
  mkdirSync(dir)
  process.chdir(dir)
  try {
    const output = check().trim()
    console.log(`${name}: ${output}`)
    if (output !== "ok") failed = true
  } catch (error) {
    console.error(`${name}: FAILED\n${error.stdout ?? ""}${error.message}`)
    failed = true
  }
}
process.exit(failed ? 1 : 0)
