/**
 * The response of the SDK's Node `HttpClient`: Effect 3's `HttpClientResponse` over a response
 * head of the Node transport, its body read (capped, cancellable) only when asked. The one part of
 * the Node client written per line (src/internal/client/NodeResponse.ts for 1.x,
 * packages/effect4/src/internal/client/NodeResponse.ts for 2.x): the interface differs between Effect 3 and 4.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cookies from "@effect/platform/Cookies"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { NodeResponseHead } from "../../core/node-transport.js"
import { HeadKey, readHead } from "./nodeKeys.js"

/** A response of the Node `HttpClient`. */
class NodeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HeadKey]: NodeResponseHead
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  #body: Effect.Effect<Uint8Array, HttpClientError.ResponseError> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, head: NodeResponseHead) {
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
  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    this.#body ??= Effect.cached(
      Effect.flatMap(readHead(this[HeadKey], Number.MAX_SAFE_INTEGER), (result) =>
        result._tag === "Body"
          ? Effect.succeed(result.body)
          : Effect.fail(new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause: result })))
    ).pipe(Effect.runSync)
    return this.#body
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => new TextDecoder().decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text)) as unknown,
        catch: (cause) => new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(
      new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause: "formData is not supported" })
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromEffect(this.bytes)
  }

  toJSON(): unknown {
    return { _id: "@effect/platform/HttpClientResponse", status: this.status, headers: Inspectable.redact(this.headers) }
  }
}

/**
 * The response for a head of the Node transport (`url`, the request's without its fragment, is
 * what Effect 4's responses carry; Effect 3's do not).
 *
 * @since 0.1.0
 * @category internals
 */
export const nodeResponse = (
  request: HttpClientRequest.HttpClientRequest,
  _url: string,
  head: NodeResponseHead
): HttpClientResponse.HttpClientResponse => new NodeResponse(request, head)
