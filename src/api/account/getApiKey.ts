/**
 * Get API key: `GET /v1/account/api-keys/{id}`.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ApiKeyResponse, type ErrorResponse } from "../../contract/models.js"

const forms = makeForms("getApiKey")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getApiKey from "bytekit-effect/api/account/getApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await getApiKey.asyncio("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (id: string, client: Client, options?: RequestOptions): Promise<ApiKeyResponse | ErrorResponse | undefined> =>
  forms.asyncio(client, { id }, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getApiKey from "bytekit-effect/api/account/getApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await getApiKey.asyncioDetailed("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (id: string, client: Client, options?: RequestOptions): Promise<Response<ApiKeyResponse | ErrorResponse>> =>
  forms.asyncioDetailed(client, { id }, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getApiKey from "bytekit-effect/api/account/getApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = getApiKey.sync("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (id: string, client: Client, options?: SyncOptions): ApiKeyResponse | ErrorResponse | undefined =>
  forms.sync(client, { id }, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getApiKey from "bytekit-effect/api/account/getApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = getApiKey.syncDetailed("ak_123", client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (id: string, client: Client, options?: SyncOptions): Response<ApiKeyResponse | ErrorResponse> =>
  forms.syncDetailed(client, { id }, options)
