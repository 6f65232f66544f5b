// Installs the packages beside the root one (packages/effect4: bytekit-effect 2.x on Effect 4;
// packages/cli: bytekit-cli), each from its own lock file. They are not npm workspaces: the 2.x line
// shares the root package's name and needs its own copy of `effect`. Run by the root `prepare`
// script, so `npm install` / `npm ci` in a fresh clone sets up every line; a package whose install
// is current is left alone.
import { execFileSync } from "node:child_process"
import { existsSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const npm = process.platform === "win32" ? "npm.cmd" : "npm"

for (const name of ["effect4", "cli"]) {
  const dir = `${root}packages/${name}/`
  if (!existsSync(`${dir}package.json`)) continue
  const installed = `${dir}node_modules/.package-lock.json`
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(`${dir}package-lock.json`).mtimeMs) continue
  console.error(`installing packages/${name}`)
  execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" })
}
