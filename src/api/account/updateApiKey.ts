/**
 * Rename API key: `PATCH /v1/account/api-keys/{id}`.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ApiKeyResponse, type ErrorResponse, type UpdateApiKeyBody } from "../../contract/models.js"

const forms = makeForms("updateApiKey")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await updateApiKey.asyncio("ak_123", client, { name: "Production" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (id: string, client: Client, body: UpdateApiKeyBody | { readonly name: string }, options?: RequestOptions): Promise<ApiKeyResponse | ErrorResponse | undefined> =>
  forms.asyncio(client, { id, payload: body }, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await updateApiKey.asyncioDetailed("ak_123", client, { name: "Production" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (id: string, client: Client, body: UpdateApiKeyBody | { readonly name: string }, options?: RequestOptions): Promise<Response<ApiKeyResponse | ErrorResponse>> =>
  forms.asyncioDetailed(client, { id, payload: body }, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = updateApiKey.sync("ak_123", client, { name: "Production" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (id: string, client: Client, body: UpdateApiKeyBody | { readonly name: string }, options?: SyncOptions): ApiKeyResponse | ErrorResponse | undefined =>
  forms.sync(client, { id, payload: body }, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = updateApiKey.syncDetailed("ak_123", client, { name: "Production" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (id: string, client: Client, body: UpdateApiKeyBody | { readonly name: string }, options?: SyncOptions): Response<ApiKeyResponse | ErrorResponse> =>
  forms.syncDetailed(client, { id, payload: body }, options)
