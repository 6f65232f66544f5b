// Runs scripts/runtime-smoke.mjs on Node 20 (this one), Node 22, Bun and Deno, each installed from
// the npm registry into a temp folder. A runtime that will not install is reported and skipped; one
// that installs but fails the smoke test fails this check.
//
//   npm run build && node scripts/check-runtimes.mjs
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const smoke = new URL("runtime-smoke.mjs", import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), "bytekit-runtimes-"))
writeFileSync(join(dir, "package.json"), "{}")
const bin = (name) => join(dir, "node_modules/.bin", name)

const runtimes = [
  { name: `node ${process.version}`, command: [process.execPath, smoke] },
  { name: "node 22", pkg: "node@22", command: [bin("node"), smoke] },
  { name: "bun", pkg: "bun@1", command: [bin("bun"), smoke] },
  { name: "deno", pkg: "deno@2", command: [bin("deno"), "run", "-A", smoke] }
]

let failed = false
for (const runtime of runtimes) {
  if (runtime.pkg) {
    try {
      execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", runtime.pkg], { cwd: dir, stdio: "ignore", timeout: 600_000 })
      runtime.version = execFileSync(runtime.command[0], ["--version"], { encoding: "utf8" }).split("\n")[0]
    } catch (error) {
      console.log(`${runtime.name}: not installable from the registry here (${String(error.message).split("\n")[0]})`)
      continue
    }
  }
  try {
    const output = execFileSync(runtime.command[0], runtime.command.slice(1), { encoding: "utf8", timeout: 120_000, cwd: process.cwd() }).trim()
    const results = JSON.parse(output.split("\n").pop())
    const ok = Object.values(results).every((value) => value === true)
    console.log(`${runtime.name}${runtime.version ? ` (${runtime.version})` : ""}: ${ok ? "ok" : "FAILED"} ${JSON.stringify(results)}`)
    if (!ok) failed = true
  } catch (error) {
    console.log(`${runtime.name}: FAILED ${error.message}`)
    failed = true
  }
}
process.exit(failed ? 1 : 0)
