/**
 * `bytekit-effect/node`: the SDK over Node's own `node:http` (keep-alive agents), the fastest
 * transport on Node and what the Promise forms use there by default. Cancellation closes the
 * socket, the response size cap is counted as bytes arrive, redirects stay the SDK's to follow.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "#line/internal/effect.js"
import * as Layer from "effect/Layer"
import { BytekitClient, type BytekitClientOptions } from "./internal/client/BytekitClient.js"
import * as NodeHttpClient from "./internal/client/NodeHttpClient.js"
import type { InvalidInput } from "./contract/errors.js"

export {
  /**
   * The Node `HttpClient`: `NodeHttpClient.layer`, `NodeHttpClient.layerWith(modules)`.
   *
   * @since 0.1.0
   */
  NodeHttpClient
}

export { makeNodeHttpClient } from "./internal/client/NodeHttpClient.js"
export {
  makeNodeTransport,
  type NodeBodyResult,
  type NodeHttpModules,
  nodeHttpModules,
  type NodeRequest,
  type NodeResponseHead,
  type NodeTransport
} from "./core/node-transport.js"

/**
 * The `BytekitClient` over Node's `node:http`: the one layer Effect programs on Node need.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * import { layer } from "bytekit-effect/node"
 * const live = layer({ apiKey: process.env.BYTEKIT_API_KEY })
 * Effect.runPromise(Account.listApiKeys().pipe(Effect.provide(live)))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: BytekitClientOptions = {}): Layer.Layer<BytekitClient, InvalidInput> =>
  BytekitClient.layer(options).pipe(Layer.provide(NodeHttpClient.layer))

/**
 * The `HttpClient` layer alone, to build other services on.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { BytekitClient } from "bytekit-effect"
 * import { layerHttpClient } from "bytekit-effect/node"
 * const live = BytekitClient.layerConfig().pipe(Layer.provide(layerHttpClient))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layer
