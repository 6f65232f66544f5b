/**
 * bytekit-effect: the Bytekit Account API for Effect programs, and (through
 * `bytekit-effect/client` and `bytekit-effect/api/account/*`) for plain TypeScript.
 *
 * @since 0.1.0
 */

/**
 * The seven Account operations as Effects.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const keys = Account.listApiKeys()
 * ```
 * @since 0.1.0
 */
export * as Account from "./Account.js"
export {
  BytekitClient,
  type BytekitClientConfig,
  type BytekitClientOptions,
  defaultBaseUrl,
  defaultTimeout,
  type Secret,
  type TokenSource
} from "./internal/client/BytekitClient.js"
export { defaultRetryPolicy, retryAfterMillis, type RetryPolicy, retrySchedule, worstCaseMillis } from "./internal/client/retry.js"
export { defaultMaxResponseBytes } from "./internal/client/body.js"
export { type CallOptions, currentCallOptions, withCallOptions } from "./internal/client/send.js"
export { rateLimitOf, type RateLimit, type WithResponse } from "./internal/client/withResponse.js"
export * from "./contract/errors.js"
export * from "./contract/models.js"
export { AuthenticatedClient, type AuthenticatedClientOptions, Client, type ClientOptions, type Token } from "./internal/adapters/Client.js"
export type { RequestOptions, SyncOptions } from "./internal/adapters/operation.js"
export type { Response } from "./internal/adapters/Response.js"
