/**
 * An Effect `HttpClient` over the SDK's Node transport (`node:http`, keep-alive agents): the
 * Promise forms' default on Node, and what `bytekit-effect/node`'s layer gives Effect users. Its
 * response (NodeResponse.ts) is the one part written per line.
 * `BytekitClient` recognises it and sends through the transport directly (one callback per
 * attempt, its deadline a plain timer); through `HttpClient.execute`, it is an ordinary `HttpClient`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { makeNodeTransport, type NodeHttpModules, nodeHttpModules, type NodeTransport } from "../../core/node-transport.js"
import {
  callback,
  encodeFailure,
  type HttpClient,
  type HttpClientError,
  type HttpClientRequest,
  type HttpClientResponse,
  HttpClientService,
  invalidUrlFailure,
  makeHttpClientWith,
  parseRequestUrl,
  scopedLayer,
  transportFailure
} from "#line/internal/effect.js"
import { TransportKey } from "./nodeKeys.js"
import { nodeResponse } from "#line/internal/client/NodeResponse.js"

/**
 * The plain request the transport sends for an `HttpClientRequest`.
 *
 * @since 0.1.0
 * @category internals
 */
const plainRequest = (request: HttpClientRequest.HttpClientRequest, url: URL) => {
  const body = request.body
  let payload: Uint8Array | undefined
  const headers: Record<string, string> = { ...request.headers }
  if (body._tag === "Uint8Array") {
    payload = body.body
    headers["content-type"] ??= body.contentType
    headers["content-length"] = String(payload.byteLength)
  } else if (body._tag !== "Empty") {
    return undefined
  }
  return { method: request.method, url: url.href, headers, body: payload }
}

/**
 * An `HttpClient` over a Node transport. No span of its own (the SDK's `httpSpans` option adds
 * one), no `AbortController`: interruption destroys the request.
 *
 * @example
 * ```ts
 * import { makeNodeHttpClient, makeNodeTransport, nodeHttpModules } from "bytekit-effect/node"
 * const client = makeNodeHttpClient(makeNodeTransport(nodeHttpModules()!))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const makeNodeHttpClient = (transport: NodeTransport): HttpClient.HttpClient => {
  const client = makeHttpClientWith(
    (effect: Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.HttpClientError>) =>
      Effect.flatMap(effect, (request) => {
        const url = parseRequestUrl(request)
        if (!url.ok) return Effect.fail(invalidUrlFailure(request, url.error))
        const plain = plainRequest(request, url.value)
        if (plain === undefined) return Effect.fail(encodeFailure(request, "only text and byte bodies are supported"))
        const href = url.value.href.split("#")[0]!
        return callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
          const cancel = transport.request(plain, (result) =>
            resume(
              result._tag === "Head"
                ? Effect.succeed(nodeResponse(request, href, result.head))
                : Effect.fail(transportFailure(request, result.cause))
            ))
          return Effect.sync(cancel)
        })
      }),
    Effect.succeed
  )
  return Object.assign(client, { [TransportKey]: transport })
}

const unavailable = () => new Error("bytekit-effect: node:http is not available in this runtime")

/**
 * A layer of the Node `HttpClient` with keep-alive agents of its own, closed when the layer's
 * scope ends (what each Promise-form client uses: `dispose()` closes its connections). `modules`
 * defaults to the runtime's `node:http` and `node:https`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { BytekitClient } from "bytekit-effect"
 * import { NodeHttpClient } from "bytekit-effect/node"
 * const live = BytekitClient.layer({ apiKey: "sk_test_..." }).pipe(Layer.provide(NodeHttpClient.layerWith()))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (modules?: NodeHttpModules): Layer.Layer<HttpClient.HttpClient> =>
  scopedLayer(
    HttpClientService,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => {
          const found = modules ?? nodeHttpModules()
          if (found === undefined) throw unavailable()
          return makeNodeTransport(found)
        }),
        (transport) => Effect.sync(transport.close)
      ),
      makeNodeHttpClient
    )
  )

/** The transport `layer` shares across the process, made on first use. */
let shared: NodeTransport | undefined

/**
 * The Node `HttpClient` layer, over the runtime's `node:http` and `node:https`, with one pool of
 * keep-alive connections for the whole process (idle ones never hold it open), as the global
 * `fetch` has: providing the layer per call still reuses connections.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Account, BytekitClient } from "bytekit-effect"
 * import { NodeHttpClient } from "bytekit-effect/node"
 * const live = BytekitClient.layer({ apiKey: process.env.BYTEKIT_API_KEY }).pipe(Layer.provide(NodeHttpClient.layer))
 * Effect.runPromise(Account.getAccount().pipe(Effect.provide(live)))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.sync(HttpClientService, () => {
  if (shared === undefined) {
    const modules = nodeHttpModules()
    if (modules === undefined) throw unavailable()
    shared = makeNodeTransport(modules)
  }
  return makeNodeHttpClient(shared)
})
