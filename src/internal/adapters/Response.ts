/**
 * `Response<T>`, the detailed forms' result, and how a raw response becomes one.
 *
 * @since 0.1.0
 */
import * as Result from "../../core/result.js"
import type { MalformedResponse, UnexpectedStatus } from "../../contract/errors.js"
import type { Operation } from "../../contract/operations.js"
import { parseErrorBody, readSuccess, unexpectedStatus } from "../client/interpret.js"
import type { RawResponse } from "../client/send.js"

/**
 * What the detailed forms return, for every status: the Python SDK's
 * `Response{status_code, content, headers, parsed}`.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getApiKey from "bytekit-effect/api/account/getApiKey"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * const response = await getApiKey.asyncioDetailed("ak_123", client)
 * if (response.statusCode === 200) console.log(response.parsed)
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Response<T> {
  /** The HTTP status. */
  readonly statusCode: number
  /** The raw body. */
  readonly content: Uint8Array
  /** The response headers, lower-case names (`x-ratelimit-remaining` among them). */
  readonly headers: Readonly<Record<string, string>>
  /** The model of the success status, `ErrorResponse` of a documented error status, else undefined. */
  readonly parsed: T | undefined
}

/**
 * Builds the `Response` of an operation from a raw response. Fails with `MalformedResponse`
 * when the success body does not decode, and with `UnexpectedStatus` for an undocumented status
 * when `raiseOnUnexpectedStatus` is on.
 *
 * @since 0.1.0
 * @category internals
 */
export const toResponse = <T>(
  operation: Operation,
  raw: RawResponse,
  raiseOnUnexpectedStatus: boolean
): Result.Result<Response<T>, MalformedResponse | UnexpectedStatus> => {
  const base = { statusCode: raw.status, content: raw.body, headers: { ...raw.headers } }
  // Any 2xx whose body decodes as the success (the documented status always counts).
  const result = readSuccess(operation, raw)
  if (result !== undefined) {
    return result.ok
      ? Result.succeed({ ...base, parsed: result.value as T })
      : Result.fail(result.error)
  }
  if (operation.errors.includes(raw.status)) {
    return Result.succeed({ ...base, parsed: parseErrorBody(raw) as T | undefined })
  }
  if (raiseOnUnexpectedStatus) return Result.fail(unexpectedStatus(operation, raw))
  return Result.succeed({ ...base, parsed: undefined })
}
