// The two lines share one source tree: src/ and test/ are compiled for 1.x (Effect 3) and for 2.x
// (Effect 4); packages/effect4/src/x and packages/effect4/test/x, where they exist, are the 2.x
// twins of src/x and test/x, written where Effect 4's API differs. A shared file reaches a module
// that has a twin as `#line/x` (sources) or `#line-test/x` (tests), so each line gets its own; a
// relative import would hand 2.x the 1.x module. A 2.x twin reaches everything it does not hold
// itself the same way; a shared source reaches a module without a twin by its relative path. This
// script lists the imports that break those rules (exit 1), and with `--fix` rewrites them.
//
// Usage: node scripts/check-lines.mjs [--fix]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const line2 = join(root, "packages/effect4")
const fix = process.argv.includes("--fix")

const walk = (dir) =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((name) => {
        const path = join(dir, name)
        if (name === "node_modules" || name === "fixtures") return []
        return statSync(path).isDirectory() ? walk(path) : /\.(ts|mts|cts)$/.test(name) ? [path] : []
      })
    : []

// Which tree a path belongs to ("src" or "test"), and its path inside it.
const place = (path, base) => {
  const rel = relative(base, path)
  const [tree, ...rest] = rel.split("/")
  return (tree === "src" || tree === "test") && rest.length > 0 ? { tree, inner: rest.join("/") } : undefined
}
const alias = { src: "#line/", test: "#line-test/" }
const twinOf = (tree, inner) => join(line2, tree, inner)
const hasTwin = (tree, inner) => existsSync(twinOf(tree, inner).replace(/\.js$/, ".ts")) || existsSync(twinOf(tree, inner))
const exists = (path) => existsSync(path) || existsSync(path.replace(/\.js$/, ".ts"))

const importPattern = /((?:from|import)\s*\(?\s*)"(\.{1,2}\/[^"]+)"/g
const problems = []

const check = (file, isTwin) => {
  const text = readFileSync(file, "utf8")
  const updated = text.replace(importPattern, (whole, lead, specifier) => {
    const target = resolve(dirname(file), specifier)
    let where
    if (isTwin) {
      // A twin's relative import must stay inside packages/effect4 and find its file there.
      where = place(target, line2)
      if (where !== undefined && exists(target)) return whole
      where ??= place(target, root)
      if (where === undefined) return whole
    } else {
      where = place(target, root)
      if (where === undefined || !hasTwin(where.tree, where.inner)) return whole
    }
    const replacement = alias[where.tree] + where.inner
    problems.push(`${relative(root, file)}: "${specifier}" → "${replacement}"`)
    return `${lead}"${replacement}"`
  })
  if (fix && updated !== text) writeFileSync(file, updated)
}

// A shared source reaches a module without a twin by its relative path: `#line/` marks the
// modules that differ by line, and only those.
const lineAliasPattern = /((?:from|import)\s*\(?\s*)"#line\/([^"]+)"/g
const tidy = (file) => {
  const text = readFileSync(file, "utf8")
  const updated = text.replace(lineAliasPattern, (whole, lead, inner) => {
    if (hasTwin("src", inner)) return whole
    let specifier = relative(dirname(file), join(root, "src", inner))
    if (!specifier.startsWith(".")) specifier = "./" + specifier
    problems.push(`${relative(root, file)}: "#line/${inner}" → "${specifier}" (no twin)`)
    return `${lead}"${specifier}"`
  })
  if (fix && updated !== text) writeFileSync(file, updated)
}

const isSharedFile = (file) => {
  const where = place(file, root)
  return where !== undefined && !hasTwin(where.tree, where.inner)
}
for (const file of [...walk(join(root, "src")), ...walk(join(root, "test"))]) {
  if (isSharedFile(file)) check(file, false)
}
for (const file of walk(join(root, "src"))) if (isSharedFile(file)) tidy(file)
for (const file of [...walk(join(line2, "src")), ...walk(join(line2, "test"))]) check(file, true)

// tsx reads packages/effect4/tsconfig.run.json when it runs the sources as 2.x: the same paths as
// tsconfig.json (TypeScript replaces a `paths` map whole, so it repeats them) but for `effect`,
// which there names Effect 4's JavaScript rather than its declarations.
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"))
const typePaths = readJson(join(line2, "tsconfig.json")).compilerOptions.paths
const runPaths = readJson(join(line2, "tsconfig.run.json")).compilerOptions.paths
const runtimeOf = (entries) => entries.map((entry) => entry.replace(/\.d\.ts$/, ".js"))
for (const name of new Set([...Object.keys(typePaths), ...Object.keys(runPaths)])) {
  const expected = JSON.stringify(runtimeOf(typePaths[name] ?? []))
  if (JSON.stringify(runPaths[name] ?? []) !== expected) {
    problems.push(`packages/effect4/tsconfig.run.json: paths["${name}"] must be ${expected} (tsconfig.json's, with .js for .d.ts)`)
  }
}

if (problems.length > 0) {
  console.log(problems.join("\n"))
  console.log(fix ? `rewrote ${problems.length} imports (a tsconfig.run.json line above is yours to fix)` : `${problems.length} problems: imports that cross the lines (node scripts/check-lines.mjs --fix) or tsconfig.run.json out of step`)
  if (!fix) process.exit(1)
} else {
  console.log("check-lines: every shared import reaches its line's module")
}
