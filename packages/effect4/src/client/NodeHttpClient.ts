/**
 * An Effect 4 `HttpClient` over the SDK's Node transport (`node:http`, keep-alive agents): the
 * Promise forms' default on Node, and what `bytekit-effect/node`'s layer gives Effect users.
 * `BytekitClient` recognises it and sends through the transport directly (one callback per
 * attempt, its deadline a plain timer); through `execute`, it is an ordinary `HttpClient`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as Url from "effect/http/Url"
import * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Result from "effect/Result"
import type * as Socket from "effect/socket/Socket"
import * as Stream from "effect/Stream"
import {
  makeNodeTransport,
  type NodeHttpModules,
  nodeHttpModules,
  type NodeResponseHead,
  type NodeTransport
} from "#line/core/node-transport.js"
import { HeadKey, readHead, TransportKey } from "#line/client/nodeKeys.js"

/** The plain request the transport sends for an `HttpClientRequest`, or `undefined` for a body it cannot send. */
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

const decodeError = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.DecodeError({ request, response, cause }) })

class NodeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HeadKey]: NodeResponseHead
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  #body: Effect.Effect<Uint8Array, HttpClientError.HttpClientError> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, readonly url: string, head: NodeResponseHead) {
    super()
    this[HeadKey] = head
    this.status = head.status
    this.headers = Headers.fromInput(head.headers as Record<string, string | ReadonlyArray<string>>)
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this[HeadKey].headers["set-cookie"]
    return setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(setCookie)
  }

  /** The whole body, read once (no cap: the SDK reads through `nodeHeadOf` with its own). */
  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.HttpClientError> {
    this.#body ??= Effect.cached(
      Effect.flatMap(readHead(this[HeadKey], Number.MAX_SAFE_INTEGER), (result) =>
        result._tag === "Body"
          ? Effect.succeed(result.body)
          : Effect.fail(decodeError(this.request, this, result._tag === "Failed" ? result.cause : result)))
    ).pipe(Effect.runSync)
    return this.#body
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return Effect.map(this.bytes, (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  }

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return Effect.map(this.bytes, (bytes) => new TextDecoder().decode(bytes))
  }

  get json(): Effect.Effect<never, HttpClientError.HttpClientError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text)) as never,
        catch: (cause) => decodeError(this.request, this, cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return Effect.fail(decodeError(this.request, this, "formData is not supported"))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Stream.fromEffect(this.bytes)
  }

  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({ request: this.request, response: this, description: "the SDK's Node client does not hand over connections" })
      })
    )
  }

  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, { _id: "HttpClientResponse", request: this.request.toJSON(), status: this.status })
  }
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
  const client = HttpClient.makeWith(
    (effect: Effect.Effect<HttpClientRequest.HttpClientRequest, HttpClientError.HttpClientError>) =>
      Effect.flatMap(effect, (request) => {
        const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
        if (Result.isFailure(url)) {
          return Effect.fail(new HttpClientError.HttpClientError({ reason: new HttpClientError.InvalidUrlError({ request, cause: url.failure }) }))
        }
        const plain = plainRequest(request, url.success)
        if (plain === undefined) {
          return Effect.fail(
            new HttpClientError.HttpClientError({
              reason: new HttpClientError.EncodeError({ request, cause: "only text and byte bodies are supported" })
            })
          )
        }
        const href = url.success.href.split("#")[0]!
        return Effect.callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
          const cancel = transport.request(plain, (result) =>
            resume(
              result._tag === "Head"
                ? Effect.succeed(new NodeResponse(request, href, result.head))
                : Effect.fail(new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause: result.cause }) }))
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
  Layer.effect(
    HttpClient.HttpClient,
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
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.sync(HttpClient.HttpClient, () => {
  if (shared === undefined) {
    const modules = nodeHttpModules()
    if (modules === undefined) throw unavailable()
    shared = makeNodeTransport(modules)
  }
  return makeNodeHttpClient(shared)
})
