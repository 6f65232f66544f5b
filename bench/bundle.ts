/**
 * Browser bundle sizes (esbuild, minified, gzip) of one operation through the Effect API and one
 * through `asyncio`, next to floors (`effect` + `Schema` alone; with the line's FetchHttpClient), for
 * each line from its built dist/: 1.x (Effect 3 + @effect/platform) and 2.x (Effect 4), when built.
 */
import { build } from "esbuild"
import { existsSync } from "node:fs"
import { gzipSync } from "node:zlib"
import { lineDirs } from "./lines.mjs"

type Line = "1.x" | "2.x"
const root = new URL("..", import.meta.url).pathname
const v2 = `${root}packages/effect4/`
// Each line's dist/ (or the run's snapshot of it, read when the sizes are taken); "effect" resolves
// from the line's own package.
const entriesNow = (
  d1 = lineDirs["1.x"].dist,
  d2 = lineDirs["2.x"].dist
): Record<Line, { readonly resolveDir: string; readonly entries: Record<string, string> }> => ({
  "1.x": {
    resolveDir: root,
    entries: {
      "floor: effect + Schema": `
        import * as Effect from "effect/Effect"
        import * as Schema from "effect/Schema"
        const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
        export const run = (u) => Effect.runPromise(Schema.decodeUnknown(Key)(u))`,
      "floor + FetchHttpClient": `
        import { FetchHttpClient, HttpClient } from "@effect/platform"
        import * as Effect from "effect/Effect"
        import * as Schema from "effect/Schema"
        const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
        export const run = (u) => Effect.runPromise(HttpClient.get(u).pipe(Effect.flatMap((r) => r.json), Effect.flatMap(Schema.decodeUnknown(Key)), Effect.provide(FetchHttpClient.layer)))`,
      "Effect API: getApiKey": `
        import { FetchHttpClient } from "@effect/platform"
        import * as Effect from "effect/Effect"
        import * as Layer from "effect/Layer"
        import { Account, BytekitClient } from "${d1}index.js"
        const live = BytekitClient.layer({ apiKey: "k" }).pipe(Layer.provide(FetchHttpClient.layer))
        export const run = () => Effect.runPromise(Account.getApiKey("ak_1").pipe(Effect.provide(live)))`,
      "asyncio: getApiKey": `
        import { AuthenticatedClient } from "${d1}client.js"
        import * as getApiKey from "${d1}api/account/getApiKey.js"
        export const run = () => getApiKey.asyncio("ak_1", new AuthenticatedClient({ token: "k" }))`
    }
  },
  "2.x": {
    resolveDir: v2,
    entries: {
      "floor: effect + Schema": `
        import * as Effect from "effect/Effect"
        import * as Schema from "effect/Schema"
        const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
        export const run = (u) => Effect.runPromise(Schema.decodeUnknownEffect(Key)(u))`,
      "floor + FetchHttpClient": `
        import * as FetchHttpClient from "effect/http/FetchHttpClient"
        import * as HttpClient from "effect/http/HttpClient"
        import * as Effect from "effect/Effect"
        import * as Schema from "effect/Schema"
        const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
        export const run = (u) => Effect.runPromise(HttpClient.get(u).pipe(Effect.flatMap((r) => r.json), Effect.flatMap(Schema.decodeUnknownEffect(Key)), Effect.provide(FetchHttpClient.layer)))`,
      "Effect API: getApiKey": `
        import * as FetchHttpClient from "effect/http/FetchHttpClient"
        import * as Effect from "effect/Effect"
        import * as Layer from "effect/Layer"
        import { Account, BytekitClient } from "${d2}index.js"
        const live = BytekitClient.layer({ apiKey: "k" }).pipe(Layer.provide(FetchHttpClient.layer))
        export const run = () => Effect.runPromise(Account.getApiKey("ak_1").pipe(Effect.provide(live)))`,
      "asyncio: getApiKey": `
        import { AuthenticatedClient } from "${d2}client.js"
        import * as getApiKey from "${d2}api/account/getApiKey.js"
        export const run = () => getApiKey.asyncio("ak_1", new AuthenticatedClient({ token: "k" }))`
    }
  }
})

export interface BundleSize {
  readonly minifiedKiB: number
  readonly gzipKiB: number
  readonly overFloorGzipKiB: number
  /** Whether emulator code or a static Node import got in (it must not). */
  readonly nodeOrEmulatorCode: boolean
}

/** Each line's sizes by entry; a line whose dist is not built is left out. */
export const bundleSizes = async (): Promise<Partial<Record<Line, Record<string, BundleSize>>>> => {
  const out: Partial<Record<Line, Record<string, BundleSize>>> = {}
  const entries = entriesNow()
  for (const line of ["1.x", "2.x"] as const) {
    const { resolveDir, entries: lineEntries } = entries[line]
    if (!existsSync(`${lineDirs[line].dist}index.js`)) continue
    const sizes: Record<string, { minified: number; gzip: number; leak: boolean }> = {}
    for (const [name, contents] of Object.entries(lineEntries)) {
      const result = await build({
        stdin: { contents, resolveDir, loader: "js" },
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        write: false,
        // Resolve through package exports and the built dist/, not tsconfig paths to src/.
        tsconfigRaw: {},
        logLevel: "silent"
      })
      const code = result.outputFiles[0]!.contents
      const text = new TextDecoder().decode(code)
      sizes[name] = {
        minified: code.length,
        gzip: gzipSync(code, { level: 9 }).length,
        // Static Node imports or emulator code; the sync forms' lazy getBuiltinModule("node:…") is allowed.
        leak: /from\s*"node:|require\("node:|payload_too_large|createCipheriv|Bootstrap key/.test(text)
      }
    }
    const floor = sizes["floor: effect + Schema"]!.gzip
    out[line] = Object.fromEntries(
      Object.entries(sizes).map(([name, size]) => [name, {
        minifiedKiB: Number((size.minified / 1024).toFixed(1)),
        gzipKiB: Number((size.gzip / 1024).toFixed(1)),
        overFloorGzipKiB: Number(((size.gzip - floor) / 1024).toFixed(1)),
        nodeOrEmulatorCode: size.leak
      }])
    )
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [line, sizes] of Object.entries(await bundleSizes())) {
    console.log(line)
    console.table(sizes)
  }
}
