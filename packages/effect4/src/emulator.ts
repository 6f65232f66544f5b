/**
 * The emulator's Effect 4 layers, for tests of your own code (Node only). The emulator itself is
 * the repository root's src/emulator, shared by both lines: it needs no Effect (plain validators,
 * plain JSON bodies), so it is bundled into this package beside the user's `effect` 4. In memory,
 * `app.handle(request)` answers without sockets; `inMemoryHttpClient` wraps it with `effect/http`.
 *
 * @since 2.0.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import { type EmulatorApp, makeApp } from "#line/emulator/app.js"
import { control, type Emulator, startEmulator, type StartOptions } from "#line/emulator/server.js"
import { BytekitClient, type BytekitClientOptions } from "#line/client/BytekitClient.js"
import type { InvalidInput } from "#line/contract/errors.js"

export { type EmulatorOptions, type EmulatorRequest, type EmulatorResponse, seed } from "#line/emulator/app.js"
export { DataFileError } from "#line/emulator/datafile.js"
export { type Emulator, startEmulator, type StartOptions } from "#line/emulator/server.js"

/**
 * The running emulator, as an Effect service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BytekitEmulator } from "bytekit-effect/emulator"
 * const url = Effect.map(Effect.service(BytekitEmulator), (emulator) => emulator.url)
 * ```
 * @since 0.1.0
 * @category services
 */
export class BytekitEmulator extends Context.Service<BytekitEmulator, Emulator>()("bytekit-effect/BytekitEmulator") {}

/**
 * A scoped layer: starts the emulator on a real socket and stops it when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BytekitEmulator, layer } from "bytekit-effect/emulator"
 * Effect.runPromise(Effect.map(Effect.service(BytekitEmulator), (e) => e.url).pipe(Effect.provide(layer())))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: StartOptions = {}): Layer.Layer<BytekitEmulator> =>
  Layer.effect(
    BytekitEmulator,
    Effect.acquireRelease(
      Effect.promise(() => startEmulator(options)),
      (emulator) => Effect.promise(() => emulator.stop())
    )
  )

/**
 * An `HttpClient` that answers every request from the emulator app, without sockets (what
 * `layerInMemory` provides).
 *
 * @example
 * ```ts
 * import { startEmulator, inMemoryHttpClient } from "bytekit-effect/emulator"
 * const emulator = await startEmulator()
 * const httpClient = inMemoryHttpClient(emulator.app)
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const inMemoryHttpClient = (app: EmulatorApp): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.tryPromise({
      try: async () => {
        const body = request.body._tag === "Uint8Array"
          ? request.body.body
          : request.body._tag === "Empty"
          ? undefined
          : new Uint8Array(await new Response(request.body._tag === "Raw" ? request.body.body as BodyInit : null).arrayBuffer())
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
        const response = await app.handle({ method: request.method, url: url.pathname + url.search, headers, body })
        return new Response(response.status === 204 ? null : response.body, {
          status: response.status,
          headers: response.headers
        })
      },
      catch: (cause) => new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
    }).pipe(Effect.map((response) => HttpClientResponse.fromWeb(request, response)))
  )

/**
 * The emulator in memory: `BytekitEmulator` plus an `HttpClient` that routes every request to it
 * without sockets, for fast unit tests of your own code. Its `url` is `http://emulator.bytekit.local`.
 * Each build of the layer is a fresh emulator.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Account } from "bytekit-effect"
 * import { layerClient, layerInMemory } from "bytekit-effect/emulator"
 * const TestLive = layerClient().pipe(Layer.provideMerge(layerInMemory()))
 * Effect.runPromise(Account.listApiKeys().pipe(Effect.provide(TestLive)))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerInMemory = (
  options: Omit<StartOptions, "port" | "host"> = {}
): Layer.Layer<BytekitEmulator | HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.promise(() => makeApp(options)).pipe(
      Effect.map((app) => {
        const emulator: Emulator = {
          ...control(app),
          url: "http://emulator.bytekit.local",
          stop: async () => app.store.flush()
        }
        return Layer.merge(Layer.succeed(BytekitEmulator, emulator), Layer.succeed(HttpClient.HttpClient, inMemoryHttpClient(app)))
      })
    )
  )

/**
 * `BytekitClient` pointed at the emulator in context, with its bootstrap API key (override with
 * `options`, e.g. a `sessionToken`).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { layer, layerClient } from "bytekit-effect/emulator"
 * const Live = layerClient().pipe(Layer.provideMerge(layer()), Layer.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options: BytekitClientOptions = {}
): Layer.Layer<BytekitClient, InvalidInput, BytekitEmulator | HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.map(
      Effect.service(BytekitEmulator),
      (emulator) => BytekitClient.layer({ baseUrl: emulator.url, apiKey: emulator.apiKey, ...options })
    )
  )
