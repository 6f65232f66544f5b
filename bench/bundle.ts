/**
 * Browser bundle sizes (esbuild, minified, gzip) of one operation through the Effect API and one
 * through `asyncio`, next to a floor of `effect` + `Schema` alone, from the built package.
 */
import { build } from "esbuild"
import { gzipSync } from "node:zlib"

const entries = {
  "floor: effect + Schema": `
    import * as Effect from "effect/Effect"
    import * as Schema from "effect/Schema"
    const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
    export const run = (u) => Effect.runPromise(Schema.decodeUnknown(Key)(u))`,
  "floor + FetchHttpClient (the SDK's peers)": `
    import { FetchHttpClient, HttpClient } from "@effect/platform"
    import * as Effect from "effect/Effect"
    import * as Schema from "effect/Schema"
    const Key = Schema.Struct({ id: Schema.String, name: Schema.String })
    export const run = (u) => Effect.runPromise(HttpClient.get(u).pipe(Effect.flatMap((r) => r.json), Effect.flatMap(Schema.decodeUnknown(Key)), Effect.provide(FetchHttpClient.layer)))`,
  "Effect API: getApiKey": `
    import { FetchHttpClient } from "@effect/platform"
    import * as Effect from "effect/Effect"
    import * as Layer from "effect/Layer"
    import { Account, BytekitClient } from "bytekit-effect"
    const live = BytekitClient.layer({ apiKey: "k" }).pipe(Layer.provide(FetchHttpClient.layer))
    export const run = () => Effect.runPromise(Account.getApiKey("ak_1").pipe(Effect.provide(live)))`,
  "asyncio: getApiKey": `
    import { AuthenticatedClient } from "bytekit-effect/client"
    import * as getApiKey from "bytekit-effect/api/account/getApiKey"
    export const run = () => getApiKey.asyncio("ak_1", new AuthenticatedClient({ token: "k" }))`
}

export interface BundleSize {
  readonly minifiedKiB: number
  readonly gzipKiB: number
  readonly overFloorGzipKiB: number
  /** Whether emulator code or a static Node import got in (it must not). */
  readonly nodeOrEmulatorCode: boolean
}

export const bundleSizes = async (): Promise<Record<string, BundleSize>> => {
  const sizes: Record<string, { minified: number; gzip: number; leak: boolean }> = {}
  for (const [name, contents] of Object.entries(entries)) {
    const result = await build({
      stdin: { contents, resolveDir: process.cwd(), loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      // Resolve bytekit-effect through its package exports (dist/), not tsconfig paths to src/.
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
  return Object.fromEntries(
    Object.entries(sizes).map(([name, size]) => [name, {
      minifiedKiB: Number((size.minified / 1024).toFixed(1)),
      gzipKiB: Number((size.gzip / 1024).toFixed(1)),
      overFloorGzipKiB: Number(((size.gzip - floor) / 1024).toFixed(1)),
      nodeOrEmulatorCode: size.leak
    }])
  )
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await bundleSizes())
