// Type-checks every JSDoc @example of the sources a line builds from, against that line's Effect,
// each as an ES module importing the package by name (mapped to the line's sources), strict and
// NodeNext as a user's project would be. Examples of `@category internals` (not exported) are
// skipped.
//
// The 1.x line (Effect 3 and @effect/platform) builds from src/. The 2.x line (Effect 4) builds
// from packages/effect4/src/ and every file of src/ that has no 2.x twin there (same path; see
// scripts/check-lines.mjs for the twin rule). So an example written once in a shared file is
// checked on both lines, and must compile on both.
//
// Usage: node scripts/check-examples.mjs [--line 1|2]   (npm run check:examples, at the root for
// 1.x, in packages/effect4 for 2.x)
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const { values: args } = parseArgs({ options: { line: { type: "string", default: "1" } } })
const line = { "1": 1, "2": 2 }[args.line]
if (line === undefined) throw new Error(`--line is 1 or 2, not ${args.line}`)

// The line's package (its package.json, tsconfig.json and node_modules, where its Effect is) and the
// source trees it builds from, its own first: the first holding a path is the one built.
const pkgDir = line === 1 ? root : join(root, "packages/effect4")
const trees = line === 1 ? [join(root, "src")] : [join(pkgDir, "src"), join(root, "src")]
const ownSource = (inner) => trees.map((tree) => join(tree, inner)).find((path) => existsSync(path))

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : []
  })

// The module an import of a source names, as this line builds it (undefined: a package, or a
// missing file). `#line/x` and relative imports of src/ resolve to the line's own x.
const resolveImport = (from, specifier) => {
  let target
  if (specifier.startsWith("#line/")) target = specifier.slice("#line/".length)
  else if (specifier.startsWith(".")) {
    const path = resolve(dirname(from), specifier)
    const tree = trees.find((dir) => path.startsWith(dir + "/"))
    if (tree === undefined) return undefined
    target = relative(tree, path)
  } else return undefined
  return ownSource(target.replace(/\.js$/, ".ts"))
}

// A root module with a 2.x twin is not 2.x's; nothing else of src/ may reach @effect/platform (the
// 2.x build refuses it), so every other module is the line's.
const sources = trees.flatMap((tree) => walk(tree).filter((file) => ownSource(relative(tree, file)) === file))

// Under the line's node_modules (ignored by git), so a failed run leaves nothing to commit by mistake.
const out = join(pkgDir, "node_modules/.cache/bytekit-effect-examples")
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

let count = 0
for (const file of sources) {
  for (const [, doc] of readFileSync(file, "utf8").matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    if (/@category internals/.test(doc)) continue
    for (const [, body] of doc.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)) {
      const code = body.split("\n").map((text) => text.replace(/^\s*\* ?/, "")).join("\n")
        // A relative import (an internal module's own example) means the line's module beside the source.
        .replace(/(from |import\()"(\.\.?\/[^"]+)"/g, (_, lead, specifier) =>
          `${lead}${JSON.stringify(resolveImport(file, specifier)?.replace(/\.ts$/, ".js") ?? join(dirname(file), specifier))}`)
      writeFileSync(join(out, `example${String(++count).padStart(3, "0")}.ts`), `// ${relative(root, file)}\n${code}\nexport {}\n`)
    }
  }
}
writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }))

// The line's tsconfig paths (`#line/…`, and for 2.x its `effect`), made absolute since they are
// replaced, not merged; then every entry of the line's package.json exports, mapped to its source
// (src/<entry>.ts or src/<entry>/index.ts, the line's own first), so a new entry's examples are
// checked without another list to keep.
const tsconfig = JSON.parse(readFileSync(join(pkgDir, "tsconfig.json"), "utf8"))
const paths = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths ?? {}).map(([key, targets]) => [key, targets.map((target) => join(pkgDir, target))])
)
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"))
for (const entry of Object.keys(pkg.exports)) {
  if (entry === "./package.json") continue
  const sub = entry.slice(2)
  if (sub.includes("*")) {
    // A pattern entry (api/account/*): each tree's files, the line's own first.
    paths[`${pkg.name}/${sub}`] = trees.map((tree) => join(tree, `${sub}.ts`))
    continue
  }
  const candidates = sub === "" ? ["index.ts"] : [`${sub}.ts`, `${sub}/index.ts`]
  const source = trees.flatMap((tree) => candidates.map((candidate) => join(tree, candidate))).find((path) => existsSync(path))
  if (source === undefined) throw new Error(`no source for the package entry ${entry} (tried ${candidates.join(", ")})`)
  paths[sub === "" ? pkg.name : `${pkg.name}/${sub}`] = [source]
}
writeFileSync(join(out, "tsconfig.json"), JSON.stringify({
  extends: relative(out, join(pkgDir, "tsconfig.json")),
  compilerOptions: { noEmit: true, noUnusedLocals: false, paths },
  include: ["*.ts"]
}))
try {
  execFileSync(join(pkgDir, "node_modules/.bin/tsc"), ["-p", out], { stdio: "inherit" })
  console.log(`${count} examples of ${sources.length} ${line}.x sources type-check against the ${line}.x line`)
} catch {
  console.error(`examples that do not type-check are listed above (each file names its source on line 1: ${out})`)
  process.exit(1)
}
