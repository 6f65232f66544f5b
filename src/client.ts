/**
 * The client objects for code that does not use Effect, and what their call styles return.
 *
 * @since 0.1.0
 */
export {
  AuthenticatedClient,
  type AuthenticatedClientOptions,
  Client,
  type ClientOptions,
  type Token
} from "./internal/adapters/Client.js"
export type { RequestOptions, SyncOptions } from "./internal/adapters/operation.js"
export type { Response } from "./internal/adapters/Response.js"
export * from "./contract/errors.js"
export { ErrorResponse } from "./contract/models.js"
