/**
 * Create API key: `POST /v1/account/api-keys`. The plaintext key is returned once, as `Redacted`.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ApiKeyCreatedResponse, type CreateApiKeyBody, type ErrorResponse } from "../../contract/models.js"

const forms = makeForms("createApiKey")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as createApiKey from "bytekit-effect/api/account/createApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await createApiKey.asyncio(client, { name: "CI" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (client: Client, body?: CreateApiKeyBody | { readonly name?: string | undefined }, options?: RequestOptions): Promise<ApiKeyCreatedResponse | ErrorResponse | undefined> =>
  forms.asyncio(client, { payload: body ?? {} }, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as createApiKey from "bytekit-effect/api/account/createApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await createApiKey.asyncioDetailed(client, { name: "CI" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (client: Client, body?: CreateApiKeyBody | { readonly name?: string | undefined }, options?: RequestOptions): Promise<Response<ApiKeyCreatedResponse | ErrorResponse>> =>
  forms.asyncioDetailed(client, { payload: body ?? {} }, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as createApiKey from "bytekit-effect/api/account/createApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = createApiKey.sync(client, { name: "CI" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (client: Client, body?: CreateApiKeyBody | { readonly name?: string | undefined }, options?: SyncOptions): ApiKeyCreatedResponse | ErrorResponse | undefined =>
  forms.sync(client, { payload: body ?? {} }, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as createApiKey from "bytekit-effect/api/account/createApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = createApiKey.syncDetailed(client, { name: "CI" })
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (client: Client, body?: CreateApiKeyBody | { readonly name?: string | undefined }, options?: SyncOptions): Response<ApiKeyCreatedResponse | ErrorResponse> =>
  forms.syncDetailed(client, { payload: body ?? {} }, options)
