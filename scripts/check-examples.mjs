// Type-checks every JSDoc @example of src/ against Effect 3 and @effect/platform (the 1.x line),
// each as an ES module importing the package by name (mapped to the sources by tsconfig's paths),
// strict and NodeNext as a user's project would be. Examples of `@category internals` (not
// exported) are skipped. The 2.x twin is packages/effect4/scripts/check-examples.mjs.
// Usage: npm run check:examples
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL("..", import.meta.url))
// Under node_modules (ignored by git), so a failed run leaves nothing to commit by mistake.
const out = join(here, "node_modules/.cache/bytekit-effect-examples")
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

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
        // A relative import (an internal module's own example) means the module beside the source.
        .replace(/(from |import\()"(\.\.?\/[^"]+)"/g, (_, lead, path) => `${lead}${JSON.stringify(join(dirname(file), path))}`)
      writeFileSync(join(out, `example${String(++count).padStart(3, "0")}.ts`), `// ${file.slice(here.length)}\n${code}\nexport {}\n`)
    }
  }
}
writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }))
// Every entry of package.json's exports, mapped to its source (src/<entry>.ts or src/<entry>/index.ts),
// so a new entry's examples are checked without another list to keep.
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"))
const paths = {}
for (const entry of Object.keys(pkg.exports)) {
  const sub = entry.slice(2)
  if (entry === "./package.json") continue
  const candidates = sub === "" ? ["src/index.ts"] : [`src/${sub}.ts`, `src/${sub}/index.ts`]
  const source = candidates.find((path) => path.includes("*") || existsSync(join(here, path)))
  if (source === undefined) throw new Error(`no source for the package entry ${entry} (tried ${candidates.join(", ")})`)
  paths[sub === "" ? pkg.name : `${pkg.name}/${sub}`] = [join(here, source)]
}
writeFileSync(join(out, "tsconfig.json"), JSON.stringify({
  extends: relative(out, join(here, "tsconfig.json")),
  compilerOptions: { noEmit: true, noUnusedLocals: false, paths },
  include: ["*.ts"]
}))
try {
  execFileSync(join(here, "node_modules/.bin/tsc"), ["-p", out], { stdio: "inherit" })
  console.log(`${count} examples type-check`)
} catch {
  console.error(`examples that do not type-check are listed above (each file names its source on line 1: ${out})`)
  process.exit(1)
}
