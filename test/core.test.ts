/**
 * The core (src/core) and the emulator (src/emulator) need no Effect: both SDK lines use them, each
 * on its own Effect major, and the emulator runs whichever major the user has. Each line's contract is
 * the core's tables plus Schema models, nothing restated.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { sdkVersion } from "#line/internal/effect.js"
import { lineRoot } from "#line-test/line.js"
import { errorRow, errorTable } from "#line/contract/errors.js"
import { operations } from "#line/contract/operations.js"
import { checkAuthHeader, checkBaseUrl, checkHeaders, checkId, checkName, checkSecretText, Problem } from "../src/core/checks.js"
import { statusErrors, statusWithError } from "../src/core/errors.js"
import { operationNames, type OperationSpec, operationSpecs } from "../src/core/operations.js"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const src = (path: string) => join(root, "src", path)

/** The one emulator file that holds the 1.x line's Effect layers. */
const effectLayerFile = src("emulator/layers.ts")

const specifiers = (file: string): Array<string> => {
  const text = readFileSync(file, "utf8")
  const found: Array<string> = []
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g)) {
    found.push(match[1] ?? match[2] ?? match[3] ?? match[4]!)
  }
  return found
}

const isEffect = (specifier: string) => specifier === "effect" || specifier.startsWith("effect/") || specifier.startsWith("@effect/")

/** Every Effect import reachable from a file through relative imports, with the chain that leads to it. */
const effectImportsFrom = (start: string): Array<string> => {
  const seen = new Set<string>()
  const found: Array<string> = []
  const visit = (file: string, chain: ReadonlyArray<string>) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of specifiers(file)) {
      if (isEffect(specifier)) found.push(`${[...chain, relative(root, file)].join(" → ")} imports ${specifier}`)
      else if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")), [...chain, relative(root, file)])
    }
  }
  visit(start, [])
  return found
}

const tsFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

describe("the core and the emulator import no Effect", () => {
  const coreFiles = tsFiles(src("core"))
  const emulatorFiles = tsFiles(src("emulator")).filter((file) => file !== effectLayerFile)

  it("the scan sees an Effect import where there is one (the 1.x layers file)", () => {
    expect(effectImportsFrom(effectLayerFile).length).toBeGreaterThan(0)
  })

  it("no file of src/core imports effect or @effect/*, directly or through its relative imports", () => {
    expect(coreFiles.length).toBeGreaterThanOrEqual(5)
    expect(coreFiles.flatMap(effectImportsFrom)).toEqual([])
  })

  it("no file of src/emulator but layers.ts imports effect or @effect/* itself", () => {
    expect(emulatorFiles.flatMap((file) => specifiers(file).filter(isEffect).map((s) => `${relative(root, file)}: ${s}`))).toEqual([])
  })

  it("the emulator (app, handlers, store, data file, journal, sealing, Clerk, server, bin) reaches no Effect through its imports", () => {
    const emulator = emulatorFiles.filter((file) => !file.endsWith("/index.ts"))
    expect(emulator.map((file) => relative(root, file)).sort()).toEqual(
      ["app", "bin", "clerk", "datafile", "handlers", "journal", "sealing", "server", "store"].map((name) => `src/emulator/${name}.ts`)
    )
    expect(emulator.flatMap(effectImportsFrom)).toEqual([])
  })
})

describe("the line's contract is the core's tables plus models", () => {
  it("each operation's method, path, statuses and security come from the core's row", () => {
    expect(Object.keys(operations).sort()).toEqual([...operationNames].sort())
    for (const name of operationNames) {
      const spec: OperationSpec = operationSpecs[name]
      const operation = operations[name]
      expect({ ...operation, name }).toMatchObject({
        name: spec.name,
        method: spec.method,
        path: spec.path,
        summary: spec.summary,
        successStatus: spec.successStatus,
        errors: spec.errors,
        sessionOnly: spec.sessionOnly
      })
      expect(operation.success === undefined).toBe(!spec.successBody)
      expect(operation.payload !== undefined).toBe(spec.body !== undefined)
      expect(operation.payloadOptional === true).toBe(spec.body?.optional === true)
      expect(operation.urlParams !== undefined).toBe(spec.query !== undefined)
    }
  })

  it("the error table's classes carry the core's tags, its codes are the core's codes", () => {
    for (const [status, row] of Object.entries(statusErrors)) {
      const entry = errorTable[Number(status) as keyof typeof errorTable]
      expect(entry.code).toBe(row.code)
      expect(new entry.error({ status: Number(status), code: row.code, message: "m", details: {}, headers: {} as never, retryAfter: undefined })._tag).toBe(row.tag)
    }
  })

  it("any 5xx reads the 500 row; statuses outside the table read none", () => {
    expect(statusWithError(503)).toBe(500)
    expect(errorRow(599)?.code).toBe("internal_error")
    expect(statusWithError(418)).toBeUndefined()
    expect(errorRow(418)).toBeUndefined()
    expect(statusWithError(200)).toBeUndefined()
  })
})

describe("an operation of the core's table reaches every place that lists operations", () => {
  const builds = ["tsup.config.ts", "packages/effect4/tsup.config.ts"]

  it("each operation has its call-style module (shared by both lines), and each build an entry for it (or takes them from the table)", () => {
    for (const name of operationNames) {
      expect(existsSync(join(root, "src/api/account", `${name}.ts`)), name).toBe(true)
      for (const build of builds) {
        const config = readFileSync(join(root, build), "utf8")
        expect(config.includes("operationNames") || config.includes(`"${name}"`), `${build} builds ${name}`).toBe(true)
      }
    }
  })
})

describe("input checks without Schema", () => {
  it("an id: non-empty, not a dot segment, no lone surrogate; percent-encoded", () => {
    expect(checkId("a b/c")).toBe("a%20b%2Fc")
    for (const bad of ["", ".", "..", "a\ud800", 5, undefined]) expect(checkId(bad)).toBeInstanceOf(Problem)
    expect(checkId("")).toMatchObject({ field: "id", message: "id must be a non-empty string" })
  })

  it("a name: 1 to 100 characters after trimming, returned trimmed; no lone surrogate", () => {
    expect(checkName("  CI  ")).toBe("CI")
    expect(checkName("x".repeat(100))).toBe("x".repeat(100))
    for (const bad of ["", "   ", "x".repeat(101), "\udc00", null, 5]) expect(checkName(bad)).toBeInstanceOf(Problem)
  })

  it("headers: names are HTTP tokens, values clean strings; secrets are not echoed", () => {
    expect(checkHeaders({ "x-trace": "1" })).toBeUndefined()
    expect(checkHeaders({ "bad name": "1" })).toMatchObject({ field: "headers" })
    expect(checkHeaders({ "x-a": "a\r\nb" })).toMatchObject({ field: "headers" })
    const refused = checkSecretText("sk_test_abc\n", "apiKey")
    expect(refused).toBeInstanceOf(Problem)
    expect(JSON.stringify(refused)).not.toContain("sk_test_abc")
    expect(checkSecretText("", "apiKey")).toMatchObject({ message: "apiKey is empty" })
    expect(checkAuthHeader("x-api-key", "")).toBeUndefined()
    expect(checkAuthHeader("x api", undefined)).toMatchObject({ field: "authHeaderName" })
    expect(checkAuthHeader(undefined, "Bearer\n")).toMatchObject({ field: "authPrefix" })
  })

  it("a base URL: http(s), no credentials; the trailing slash dropped", () => {
    expect(checkBaseUrl("http://127.0.0.1:4010/")).toBe("http://127.0.0.1:4010")
    expect(checkBaseUrl("nope")).toMatchObject({ field: "baseUrl", message: "baseUrl is not a valid URL" })
    expect(checkBaseUrl("ftp://x")).toMatchObject({ message: "baseUrl must be http(s), not ftp:" })
    expect(checkBaseUrl("https://u:p@x")).toMatchObject({ message: "baseUrl must not carry credentials" })
  })
})

describe("each line's own facts stay in step with its package", () => {
  it("the User-Agent's version is the line's package.json version", () => {
    const manifest = JSON.parse(readFileSync(join(lineRoot, "package.json"), "utf8")) as { version: string }
    expect(sdkVersion).toBe(manifest.version)
  })
})
