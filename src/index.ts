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
} from "./client/BytekitClient.js"
export { defaultRetryPolicy, retryAfterMillis, type RetryPolicy, retrySchedule, worstCaseMillis } from "./client/retry.js"
export { defaultMaxResponseBytes } from "./client/body.js"
export { type CallOptions, currentCallOptions, withCallOptions } from "./client/send.js"
export { rateLimitOf, type RateLimit, type WithResponse } from "./client/withResponse.js"
export * from "./contract/errors.js"
export * from "./contract/models.js"
export { AuthenticatedClient, type AuthenticatedClientOptions, Client, type ClientOptions, type Token } from "./adapters/Client.js"
export type { RequestOptions, SyncOptions } from "./adapters/operation.js"
export type { Response } from "./adapters/Response.js"
