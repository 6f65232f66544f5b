/**
 * The built 2.x package: its modules import Effect 4 only (the shared emulator's Effect 3 is bundled
 * into its own chunk), and the emulator entry and bin work from dist.
 */
import { Effect, Layer } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { startProcess } from "#line-test/processes.js"

const dist = fileURLToPath(new URL("../dist/", import.meta.url))
const files = readdirSync(dist).filter((name) => /\.(c?js)$/.test(name))

/** The bare module specifiers a built file imports or requires. */
const specifiers = (file: string): Array<string> =>
  [...readFileSync(dist + file, "utf8").matchAll(/^(?:import|export)[^'"\n]*?from\s*['"]([^'"./][^'"]*)['"]|^(?:import\s*)['"]([^'"./][^'"]*)['"]|(?<![*/]\s.*)require\(['"]([^'"./][^'"]*)['"]\)/gm)]
    .map((match) => match[1] ?? match[2] ?? match[3]!)

describe("the build", () => {
  it("imports effect 4's modules, jose and Node's built-ins only: no @effect/platform, no effect/Either", () => {
    const imported = new Set(files.flatMap(specifiers))
    expect(imported.size).toBeGreaterThan(10)
    for (const name of imported) {
      expect(name, name).toMatch(/^(effect(\/[A-Za-z/-]+)?|jose|(node:)?(crypto|fs|http|path|util|net|url|module|worker_threads))$/)
      expect(name).not.toMatch(/^@effect\/|^effect\/(Either|FiberRef|ParseResult|ConfigError)$/)
    }
  })

  it("bytekit-effect/emulator from dist: layerInMemory + layerClient run the API", async () => {
    const { layerClient, layerInMemory } = await import("bytekit-effect/emulator")
    const { Account } = await import("bytekit-effect")
    const live = layerClient({ warnOnPlainHttp: false }).pipe(Layer.provideMerge(layerInMemory()))
    const created = await Effect.runPromise(Account.createApiKey({ name: "from dist" }).pipe(Effect.provide(live)))
    expect(created.name).toBe("from dist")
    expect(String(created.key)).toBe("<redacted>")
  })

  it("the bytekit-emulator bin from dist starts and answers", async () => {
    const emulator = await startProcess<{ url: string; api_key: string }>(dist + "emulator-bin.js", ["--port", "0", "--json"])
    try {
      const response = await fetch(`${emulator.url}/v1/account`, { headers: { authorization: `Bearer ${emulator.api_key}` } })
      expect(response.status).toBe(200)
    } finally {
      emulator.stop()
    }
  })
})
