/**
 * Reveal API key: `POST /v1/account/api-keys/{id}/reveal`. Needs a Clerk session token; the key comes back as `Redacted`.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ApiKeyRevealResponse, type ErrorResponse } from "../../contract/models.js"

const forms = makeForms("revealApiKey")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
 * declare const getClerkToken: () => Promise<string>
 * const sessionClient = new AuthenticatedClient({ token: () => getClerkToken() })
 * const result = await revealApiKey.asyncio("ak_123", sessionClient)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (id: string, client: Client, options?: RequestOptions): Promise<ApiKeyRevealResponse | ErrorResponse | undefined> =>
  forms.asyncio(client, { id }, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
 * declare const getClerkToken: () => Promise<string>
 * const sessionClient = new AuthenticatedClient({ token: () => getClerkToken() })
 * const result = await revealApiKey.asyncioDetailed("ak_123", sessionClient)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (id: string, client: Client, options?: RequestOptions): Promise<Response<ApiKeyRevealResponse | ErrorResponse>> =>
  forms.asyncioDetailed(client, { id }, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
 * declare const getClerkToken: () => Promise<string>
 * const sessionClient = new AuthenticatedClient({ token: () => getClerkToken() })
 * const result = revealApiKey.sync("ak_123", sessionClient)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (id: string, client: Client, options?: SyncOptions): ApiKeyRevealResponse | ErrorResponse | undefined =>
  forms.sync(client, { id }, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
 * declare const getClerkToken: () => Promise<string>
 * const sessionClient = new AuthenticatedClient({ token: () => getClerkToken() })
 * const result = revealApiKey.syncDetailed("ak_123", sessionClient)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (id: string, client: Client, options?: SyncOptions): Response<ApiKeyRevealResponse | ErrorResponse> =>
  forms.syncDetailed(client, { id }, options)
