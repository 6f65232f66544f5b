/**
 * Reading the response behind a successful operation: status, headers and rate-limit state.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { fiberLocal, getLocal, type Headers, locally } from "#line/internal/effect.js"
import type { RawResponse } from "./send.js"

/**
 * The `X-RateLimit-*` headers, as numbers (undefined where absent).
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimit {
  readonly limit: number | undefined
  readonly remaining: number | undefined
  /** Unix seconds when the window resets. */
  readonly reset: number | undefined
}

/**
 * An operation's value with the response it came from.
 *
 * @since 0.1.0
 * @category models
 */
export interface WithResponse<A> {
  readonly value: A
  readonly status: number
  readonly headers: Headers.Headers
  readonly rateLimit: RateLimit
}

const toNumber = (value: string | undefined): number | undefined =>
  value === undefined || value.trim() === "" || !Number.isFinite(Number(value)) ? undefined : Number(value)

/**
 * The rate-limit state a response reports.
 *
 * @example
 * ```ts
 * import { rateLimitOf } from "bytekit-effect"
 * rateLimitOf({ "x-ratelimit-remaining": "9" } as any).remaining // 9
 * ```
 * @since 0.1.0
 * @category responses
 */
export const rateLimitOf = (headers: Headers.Headers): RateLimit => ({
  limit: toNumber(headers["x-ratelimit-limit"]),
  remaining: toNumber(headers["x-ratelimit-remaining"]),
  reset: toNumber(headers["x-ratelimit-reset"])
})

const recorder = fiberLocal<((response: RawResponse) => void) | undefined>("bytekit-effect/responseRecorder", undefined)

/** Hands the response to an enclosing `withResponse`, if any. */
export const recordResponse = (response: RawResponse): Effect.Effect<void> =>
  Effect.flatMap(getLocal(recorder), (record) => {
    record?.(response)
    return Effect.void
  })

/**
 * Runs an operation and returns its value with the status, headers and rate-limit state of the
 * response. (Failures carry their headers already.)
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * const remaining = Account.withResponse(Account.listApiKeys()).pipe(Effect.map((r) => r.rateLimit.remaining))
 * ```
 * @since 0.1.0
 * @category responses
 */
export const withResponse = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<WithResponse<A>, E, R> =>
  Effect.suspend(() => {
    let last: RawResponse | undefined
    return locally(self, recorder, (response: RawResponse) => {
      last = response
    }).pipe(
      Effect.map((value) => {
        const headers = last?.headers ?? ({} as Headers.Headers)
        return { value, status: last?.status ?? 0, headers, rateLimit: rateLimitOf(headers) }
      })
    )
  })
