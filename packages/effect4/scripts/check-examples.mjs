// Type-checks every JSDoc @example of src/ against Effect 4, each as an ES module importing the
// package by name (mapped to the sources), strict and NodeNext as a user's project would be.
// Examples of `@category internals` (not exported) are skipped. Usage: npm run check:examples
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL("..", import.meta.url))
const out = join(here, ".examples")
rmSync(out, { recursive: true, force: true })
mkdirSync(out)

const sources = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : []
  })

let count = 0
for (const file of sources(join(here, "src"))) {
  for (const [, doc] of readFileSync(file, "utf8").matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    if (/@category internals/.test(doc)) continue
    for (const [, body] of doc.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)) {
      const code = body.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
      writeFileSync(join(out, `example${String(++count).padStart(3, "0")}.ts`), `// ${file.slice(here.length)}\n${code}\nexport {}\n`)
    }
  }
}
writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }))
writeFileSync(join(out, "tsconfig.json"), JSON.stringify({
  extends: "../tsconfig.json",
  compilerOptions: { noEmit: true, noUnusedLocals: false },
  include: ["*.ts"]
}))
try {
  execFileSync(join(here, "node_modules/.bin/tsc"), ["-p", out], { stdio: "inherit" })
  console.log(`${count} examples type-check`)
} catch {
  console.error(`examples that do not type-check are listed above (each file names its source on line 1: ${out})`)
  process.exit(1)
}
