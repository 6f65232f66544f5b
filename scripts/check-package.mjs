// A line's package as a user gets it: packs it and installs the tarball with the install line of the
// README it ships with (verbatim but for the tarball; it must resolve the line's Effect major), then
// one throwaway project per way people import it (ESM TypeScript with moduleResolution node16 and
// bundler, CommonJS JavaScript); each type-checks where it is TypeScript and runs one call against
// the emulator, with the HttpClient layer of the user's own Effect install.
//
//   npm run build && node scripts/check-package.mjs              (1.x: the root package, Effect 3)
//   npm run build && node ../../scripts/check-package.mjs --line 2   (in packages/effect4: 2.x, Effect 4)
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const { values: args } = parseArgs({ options: { line: { type: "string", default: "1" } } })
const lines = {
  // The package's directory, the README's install line (by its package spec), the Effect major it
  // must resolve, and the module a user takes FetchHttpClient from.
  "1": { dir: repo, spec: "bytekit-effect@^1", effectMajor: 3, fetchFrom: "@effect/platform" },
  "2": { dir: join(repo, "packages/effect4"), spec: "bytekit-effect", effectMajor: 4, fetchFrom: "effect/http" }
}
const line = lines[args.line]
if (line === undefined) throw new Error(`--line is ${Object.keys(lines).join(" or ")}, not ${args.line}`)
const root = line.dir
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))

const work = mkdtempSync(join(tmpdir(), `bytekit-package-${args.line}x-`))
const tarball = join(work, run("npm", ["pack", "--silent", "--pack-destination", work], root).trim().split("\n").pop())
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "consumers", private: true }))
// The README's install line for this line, verbatim but for the tarball.
const prefix = `npm install ${line.spec} `
const readmeLine = readFileSync(join(root, "README.md"), "utf8").split("\n").find((text) => text.startsWith(prefix))
if (readmeLine === undefined) throw new Error(`${join(root, "README.md")} has no \`${prefix}…\` line`)
const readmeArgs = readmeLine.replace(/#.*$/, "").trim().split(/\s+/).slice(2).map((arg) => arg === line.spec ? tarball : arg)
run("npm", ["install", "--no-audit", "--no-fund", "--silent", ...readmeArgs], work)
const effectVersion = JSON.parse(readFileSync(join(work, "node_modules/effect/package.json"), "utf8")).version
if (!effectVersion.startsWith(`${line.effectMajor}.`)) {
  throw new Error(`the README's \`${readmeLine.trim()}\` installed effect ${effectVersion}, not ${line.effectMajor}.x`)
}
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
const esmImports = `import { FetchHttpClient } from "${line.fetchFrom}"
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
    writeFileSync("index.js", `const { FetchHttpClient } = require("${line.fetchFrom}")
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
console.log(`effect ${effectVersion}`)
process.exit(failed ? 1 : 0)
