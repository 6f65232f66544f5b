// The 2.x line against the 1.x line (the repository root): which copies drifted and which root
// files changed since the 2.x port last took them (sync-with-1x.json). Exit 1 when there is work.
// Usage: npm run check:sync [-- --update] (--update moves the baseline to HEAD once ported).
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL("..", import.meta.url))
const root = fileURLToPath(new URL("../../..", import.meta.url))
const mapFile = here + "sync-with-1x.json"
const map = JSON.parse(readFileSync(mapFile, "utf8"))
const git = (...args) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim()

const problems = []
for (const [line2, line1] of Object.entries(map.verbatim)) {
  if (readFileSync(here + line2, "utf8") !== readFileSync(root + line1, "utf8")) {
    problems.push(`copy differs: packages/effect4/${line2} from ${line1} (cp ${line1} packages/effect4/${line2})`)
  }
}
for (const [line2, line1] of Object.entries(map.ported)) {
  const commits = git("log", "--format=%h %s", `${map.baseline}..HEAD`, "--", line1)
  if (commits !== "") {
    problems.push(
      `changed in 1.x since the port: ${line1} -> packages/effect4/${line2}\n    ` +
        `git diff ${map.baseline.slice(0, 12)} HEAD -- ${line1}\n    ${commits.split("\n").join("\n    ")}`
    )
  }
}
const files = (dir) =>
  readdirSync(here + dir).flatMap((name) => {
    const path = `${dir}/${name}`
    if (name === "dist" || name === "node_modules") return []
    return statSync(here + path).isDirectory() ? files(path) : [path]
  })
const listed = new Set([...Object.keys(map.verbatim), ...Object.keys(map.ported), ...map.own])
for (const file of ["src", "test", "examples", "scripts"].flatMap(files)) {
  if (!listed.has(file)) problems.push(`not in sync-with-1x.json: packages/effect4/${file} (verbatim, ported or own?)`)
}
if (process.argv.includes("--update")) {
  map.baseline = git("rev-parse", "HEAD")
  writeFileSync(mapFile, JSON.stringify(map, null, 2) + "\n")
  console.log(`baseline moved to ${map.baseline}`)
} else if (problems.length > 0) {
  console.log(problems.join("\n"))
  process.exit(1)
} else {
  console.log("2.x is in step with 1.x")
}
