/**
 * Revoke API key: `DELETE /v1/account/api-keys/{id}`. Idempotent: 204 even if already revoked; `parsed` is undefined on success.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ErrorResponse } from "../../contract/models.js"

const forms = makeForms("revokeApiKey")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await revokeApiKey.asyncio("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (id: string, client: Client, options?: RequestOptions): Promise<ErrorResponse | undefined> =>
  forms.asyncio(client, { id }, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await revokeApiKey.asyncioDetailed("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (id: string, client: Client, options?: RequestOptions): Promise<Response<ErrorResponse | undefined>> =>
  forms.asyncioDetailed(client, { id }, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = revokeApiKey.sync("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (id: string, client: Client, options?: SyncOptions): ErrorResponse | undefined =>
  forms.sync(client, { id }, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = revokeApiKey.syncDetailed("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (id: string, client: Client, options?: SyncOptions): Response<ErrorResponse | undefined> =>
  forms.syncDetailed(client, { id }, options)
