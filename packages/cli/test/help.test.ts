/**
 * --help with an example on every command, --version, and shell completions for bash, zsh and fish.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bytekit } from "./support.js"

const commands = [
  [],
  ["account"],
  ["keys"],
  ["keys", "list"],
  ["keys", "get"],
  ["keys", "create"],
  ["keys", "rename"],
  ["keys", "revoke"],
  ["keys", "reveal"],
  ["keys", "rotate"],
  ["emulator"]
]

describe("--help on every command shows its usage and an example", () => {
  it.each(commands.map((path) => [path.join(" ") || "bytekit", path]))("%s --help", async (_name, path) => {
    const run = await bytekit([...path, "--help"])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe("")
    expect(run.stdout).toContain(`USAGE\n  bytekit${path.length === 0 ? "" : ` ${path.join(" ")}`}`)
    expect(run.stdout).toMatch(/EXAMPLES\n(.*\n)*\s+bytekit |EXAMPLES\n(.*\n)*\s+\S+=\S+ bytekit |EXAMPLES\n(.*\n)*\s+\S+=\$\(bytekit /)
  })

  it("the inherited flags show on a subcommand's help", async () => {
    const run = await bytekit(["keys", "list", "--help"])
    for (const flag of ["--base-url", "--json", "--timeout"]) expect(run.stdout).toContain(flag)
  })
})

describe("--version prints the version", () => {
  it("bytekit --version", async () => {
    const run = await bytekit(["--version"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^bytekit v\d+\.\d+\.\d+/)
  })
})

describe("shell completions for bash, zsh and fish", () => {
  it.each(["bash", "zsh", "fish"])("--completions %s prints a script that knows the commands", async (shell) => {
    const run = await bytekit(["--completions", shell])
    expect(run.code).toBe(0)
    for (const word of ["keys", "rotate", "reveal", "emulator"]) expect(run.stdout).toContain(word)
  })

  it("the bash script completes `bytekit keys ro` to rotate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-completions-"))
    const script = join(dir, "bytekit.bash")
    writeFileSync(script, (await bytekit(["--completions", "bash"])).stdout)
    const words = execFileSync("bash", [
      "-c",
      `source '${script}'; COMP_WORDS=(bytekit keys ro); COMP_CWORD=2; COMP_LINE="bytekit keys ro"; COMP_POINT=\${#COMP_LINE}; _bytekit bytekit ro keys; echo "\${COMPREPLY[@]}"`
    ], { encoding: "utf8" })
    expect(words.trim()).toBe("rotate")
  })
})
