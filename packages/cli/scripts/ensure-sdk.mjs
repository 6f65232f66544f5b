// The CLI bundles bytekit-effect 2.x from ../effect4 (a file: link). Its dist is not in git: build it
// when it is missing, so `npm ci && npm run build` works in a fresh checkout.
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const sdk = fileURLToPath(new URL("../../effect4/", import.meta.url))
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
if (!existsSync(`${sdk}dist/index.js`) || !existsSync(`${sdk}dist/emulator.js`)) {
  console.error("bytekit-cli: building bytekit-effect 2.x in packages/effect4 first")
  if (!existsSync(`${sdk}node_modules/effect`)) execFileSync(npm, ["ci"], { cwd: sdk, stdio: "inherit" })
  execFileSync(npm, ["run", "build"], { cwd: sdk, stdio: "inherit" })
}
