/**
 * Get account details: `GET /v1/account`. The full account for an API key, the session shape for a Clerk session.
 *
 * The four call styles of the Python SDK: `sync`, `syncDetailed`, `asyncio`, `asyncioDetailed`.
 *
 * @since 0.1.0
 */
import type { Client } from "../../internal/adapters/Client.js"
import { makeForms, type RequestOptions, type SyncOptions } from "../../internal/adapters/operation.js"
import type { Response } from "../../internal/adapters/Response.js"
import { type GetAccountResponse200 } from "../../contract/models.js"

const forms = makeForms("getAccount")

/**
 * Resolves to the parsed model, the parsed `ErrorResponse` of a documented error status, or
 * undefined for an undocumented one (or rejects with `UnexpectedStatus` under `raiseOnUnexpectedStatus`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await getAccount.asyncio(client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncio = (client: Client, options?: RequestOptions): Promise<GetAccountResponse200 | undefined> =>
  forms.asyncio(client, {}, options)

/**
 * Resolves to the whole `Response`: status code, raw content, headers and parsed body, for every status.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = await getAccount.asyncioDetailed(client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const asyncioDetailed = (client: Client, options?: RequestOptions): Promise<Response<GetAccountResponse200>> =>
  forms.asyncioDetailed(client, {}, options)

/**
 * `asyncio`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = getAccount.sync(client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const sync = (client: Client, options?: SyncOptions): GetAccountResponse200 | undefined =>
  forms.sync(client, {}, options)

/**
 * `asyncioDetailed`, synchronously.
 * Blocks the thread until the response is in (Node only); for scripts, CLIs and REPLs.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const result = getAccount.syncDetailed(client)
 * ```
 * @since 0.1.0
 * @category call styles
 */
export const syncDetailed = (client: Client, options?: SyncOptions): Response<GetAccountResponse200> =>
  forms.syncDetailed(client, {}, options)
