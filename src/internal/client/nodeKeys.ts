/**
 * How the SDK recognises its own Node client and responses: small on purpose, so code that only
 * checks for them (every bundle) carries none of the client itself.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { callback, type HttpClient, type HttpClientResponse } from "#line/internal/effect.js"
import type { NodeBodyResult, NodeResponseHead, NodeTransport } from "../../core/node-transport.js"

/**
 * The property holding the transport of an `HttpClient` made by `makeNodeHttpClient`.
 *
 * @since 0.1.0
 * @category internals
 */
export const TransportKey: unique symbol = Symbol.for("bytekit-effect/NodeTransport") as never

/**
 * The property holding the transport's head of a response of that client.
 *
 * @since 0.1.0
 * @category internals
 */
export const HeadKey: unique symbol = Symbol.for("bytekit-effect/NodeResponseHead") as never

/**
 * The Node transport behind an `HttpClient` made by `makeNodeHttpClient`, or `undefined` for any
 * other client (one wrapped by a transform included: it must go through `HttpClient.execute`).
 *
 * @since 0.1.0
 * @category internals
 */
export const nodeTransportOf = (client: HttpClient.HttpClient): NodeTransport | undefined =>
  (client as { readonly [TransportKey]?: NodeTransport })[TransportKey]

/**
 * The transport's response head behind a response of that client, for reading its body with a cap.
 *
 * @since 0.1.0
 * @category internals
 */
export const nodeHeadOf = (response: HttpClientResponse.HttpClientResponse): NodeResponseHead | undefined =>
  (response as { readonly [HeadKey]?: NodeResponseHead })[HeadKey]

/**
 * Reads a head's body, at most `limit` bytes, as an Effect; interrupting it closes the connection.
 *
 * @since 0.1.0
 * @category internals
 */
export const readHead = (head: NodeResponseHead, limit: number): Effect.Effect<NodeBodyResult> =>
  callback<NodeBodyResult>((resume) => {
    const cancel = head.read(limit, (result) => resume(Effect.succeed(result)))
    return Effect.sync(cancel)
  })
