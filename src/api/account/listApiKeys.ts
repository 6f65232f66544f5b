/**
 * List API keys: `GET /v1/account/api-keys`, newest first; revoked ones with `includeRevoked`.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { type CallInput, makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type ListApiKeysResponse200 } from "../../contract/models.js"

const forms = makeForms("listApiKeys")

/** The call's query, in wire names: the one mapping of this operation's arguments. */
const input = (includeRevoked: boolean | undefined): CallInput =>
  includeRevoked === undefined ? {} : { urlParams: { include_revoked: String(includeRevoked) } }

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await listApiKeys.asyncio(client, true)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (client: Client, includeRevoked?: boolean, options?: RequestOptions): Promise<ListApiKeysResponse200 | undefined> =>
  forms.asyncio(client, input(includeRevoked), options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await listApiKeys.asyncioDetailed(client, true)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (client: Client, includeRevoked?: boolean, options?: RequestOptions): Promise<Response<ListApiKeysResponse200>> =>
  forms.asyncioDetailed(client, input(includeRevoked), options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = listApiKeys.sync(client, true)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (client: Client, includeRevoked?: boolean, options?: SyncOptions): ListApiKeysResponse200 | undefined =>
  forms.sync(client, input(includeRevoked), options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = listApiKeys.syncDetailed(client, true)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (client: Client, includeRevoked?: boolean, options?: SyncOptions): Response<ListApiKeysResponse200> =>
  forms.syncDetailed(client, input(includeRevoked), options)
