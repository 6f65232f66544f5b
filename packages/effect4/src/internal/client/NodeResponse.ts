/**
 * The response of the SDK's Node `HttpClient`: Effect 4's `HttpClientResponse` over a response
 * head of the Node transport, its body read (capped, cancellable) only when asked. The one part of
 * the Node client written per line (this file for 2.x, src/internal/client/NodeResponse.ts for 1.x): the
 * interface differs between Effect 3 and 4.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Socket from "effect/socket/Socket"
import * as Stream from "effect/Stream"
import type { NodeResponseHead } from "#line/core/node-transport.js"
import { HeadKey, readHead } from "#line/internal/client/nodeKeys.js"

const decodeError = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.DecodeError({ request, response, cause }) })

/** A response of the Node `HttpClient`; `url` is the request's, without its fragment. */
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
 * The response for a head of the Node transport; `url` is the request's without its fragment.
 *
 * @since 2.0.0
 * @category internals
 */
export const nodeResponse = (
  request: HttpClientRequest.HttpClientRequest,
  url: string,
  head: NodeResponseHead
): HttpClientResponse.HttpClientResponse => new NodeResponse(request, url, head)
