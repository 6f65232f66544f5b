/**
 * Bytekit's API-wide error table as plain data: which status is which error, and its default code.
 * Each SDK line maps the tags to its own error classes; the emulator answers with the codes.
 *
 * @since 0.1.0
 */

/**
 * The status → error table: the tag of the SDK error a status becomes, and Bytekit's default code.
 *
 * @example
 * ```ts
 * import { statusErrors } from "./errors.js"
 * statusErrors[404].tag // "NotFound"
 * ```
 * @since 0.1.0
 * @category errors
 */
export const statusErrors = {
  400: { tag: "InvalidRequest", code: "invalid_request" },
  401: { tag: "Unauthorized", code: "unauthorized" },
  402: { tag: "QuotaExceeded", code: "quota_exceeded" },
  403: { tag: "Forbidden", code: "forbidden" },
  404: { tag: "NotFound", code: "not_found" },
  409: { tag: "Conflict", code: "conflict" },
  422: { tag: "ValidationFailed", code: "validation_error" },
  429: { tag: "RateLimited", code: "rate_limited" },
  500: { tag: "InternalServerError", code: "internal_error" }
} as const

/**
 * A status of the table (any 5xx reads the 500 row).
 *
 * @since 0.1.0
 * @category errors
 */
export type StatusWithError = keyof typeof statusErrors

/**
 * The tag of an error of the table, e.g. `"NotFound"`.
 *
 * @since 0.1.0
 * @category errors
 */
export type StatusErrorTag = (typeof statusErrors)[StatusWithError]["tag"]

/**
 * The table's status for a response status: itself when in the table, 500 for any 5xx,
 * undefined otherwise.
 *
 * @example
 * ```ts
 * import { statusWithError } from "./errors.js"
 * statusWithError(503) // 500
 * ```
 * @since 0.1.0
 * @category errors
 */
export const statusWithError = (status: number): StatusWithError | undefined =>
  status >= 500 && status <= 599 ? 500 : Object.hasOwn(statusErrors, status) ? (status as StatusWithError) : undefined
