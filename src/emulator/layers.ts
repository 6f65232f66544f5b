/**
 * The emulator's Effect layers, for tests of your own code (Node only): the one file of the
 * emulator that imports Effect. The emulator itself (app, handlers, store, server, bin) needs no
 * Effect, so both lines bundle it beside the user's own `effect`. In memory, `app.handle(request)`
 * answers without sockets; `inMemoryHttpClient` wraps it as an Effect `HttpClient`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  type HttpClient,
  HttpClientService,
  makeHttpClient,
  responseFromWeb,
  scopedLayer,
  service,
  ServiceKey,
  transportFailure,
  unwrapLayer
} from "#line/internal/effect.js"
import { BytekitClient, type BytekitClientOptions } from "../internal/client/BytekitClient.js"
import type { InvalidInput } from "../contract/errors.js"
import { type EmulatorApp, makeApp } from "./app.js"
import { control, type Emulator, startEmulator, type StartOptions } from "./server.js"


/**
 * The running emulator, as an Effect service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BytekitEmulator } from "bytekit-effect/emulator"
 * const url = Effect.gen(function*() {
 *   const emulator = yield* BytekitEmulator
 *   return emulator.url
 * })
 * ```
 * @since 0.1.0
 * @category services
 */
export class BytekitEmulator extends ServiceKey<BytekitEmulator, Emulator>()("bytekit-effect/BytekitEmulator") {}

/**
 * A scoped layer: starts the emulator on a real socket and stops it when the scope closes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BytekitEmulator, layer } from "bytekit-effect/emulator"
 * const url = Effect.gen(function*() {
 *   const emulator = yield* BytekitEmulator
 *   return emulator.url
 * })
 * Effect.runPromise(url.pipe(Effect.provide(layer())))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: StartOptions = {}): Layer.Layer<BytekitEmulator> =>
  scopedLayer(
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
  makeHttpClient((request, url) =>
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
      catch: (cause) => transportFailure(request, cause)
    }).pipe(Effect.map((response) => responseFromWeb(request, response)))
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
  unwrapLayer(
    Effect.promise(() => makeApp(options)).pipe(
      Effect.map((app) => {
        const emulator: Emulator = {
          ...control(app),
          url: "http://emulator.bytekit.local",
          stop: async () => app.store.flush()
        }
        return Layer.merge(Layer.succeed(BytekitEmulator, emulator), Layer.succeed(HttpClientService, inMemoryHttpClient(app)))
      })
    )
  )

/**
 * `BytekitClient` pointed at the emulator in context, with its bootstrap API key (override with
 * `options`, e.g. a `sessionToken`).
 *
 * @example
 * ```ts
 * import { layerHttpClient } from "bytekit-effect/node"
 * import { Layer } from "effect"
 * import { layer, layerClient } from "bytekit-effect/emulator"
 * const Live = layerClient().pipe(Layer.provideMerge(layer()), Layer.provide(layerHttpClient))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options: BytekitClientOptions = {}
): Layer.Layer<BytekitClient, InvalidInput, BytekitEmulator | HttpClient.HttpClient> =>
  unwrapLayer(
    Effect.map(service(BytekitEmulator), (emulator) => BytekitClient.layer({ baseUrl: emulator.url, apiKey: emulator.apiKey, ...options }))
  )
