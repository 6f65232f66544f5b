/**
 * When to try a request again, and how long to wait first.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"

/**
 * How requests are retried.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number
  /** The first backoff delay, in milliseconds; it doubles per retry. */
  readonly initialDelayMillis: number
  /** The longest backoff delay, in milliseconds. */
  readonly maxDelayMillis: number
  /** A `Retry-After` longer than this (milliseconds) is ignored in favour of the backoff. */
  readonly maxRetryAfterMillis: number
  /** Statuses worth another attempt. */
  readonly retryStatuses: ReadonlyArray<number>
}

/**
 * Two retries on connection errors, timeouts, 408, 429, 500, 502, 503 and 504, backing off from
 * 0.5 s doubling to 8 s with jitter, honouring `Retry-After` up to 60 s. Worst case for the
 * defaults: 3 attempts of 60 s plus waits of at most 60 s each, about 5 minutes; without
 * `Retry-After`, 3 × 60 s + 0.5 s + 1 s.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy } from "bytekit-effect"
 * defaultRetryPolicy.maxRetries // 2
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  initialDelayMillis: 500,
  maxDelayMillis: 8_000,
  maxRetryAfterMillis: 60_000,
  retryStatuses: [408, 429, 500, 502, 503, 504]
}

/**
 * The server's requested wait in milliseconds, from `Retry-After-Ms`, or `Retry-After` as seconds
 * or an HTTP date; undefined when absent, unreadable or negative.
 *
 * @example
 * ```ts
 * import { retryAfterMillis } from "bytekit-effect"
 * retryAfterMillis({ "retry-after": "2" } as any) // 2000
 * ```
 * @since 0.1.0
 * @category retries
 */
export const retryAfterMillis = (headers: Headers.Headers, now: number = Date.now()): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms)
  const value = headers["retry-after"]?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * How long to wait before retry number `retry` (0 for the first retry): the server's
 * `Retry-After` when it is within bounds, else exponential backoff with up to 25% jitter.
 *
 * @since 0.1.0
 * @category retries
 */
export const retryDelayMillis = (policy: RetryPolicy, retry: number, headers?: Headers.Headers): number => {
  const asked = headers === undefined ? undefined : retryAfterMillis(headers)
  if (asked !== undefined && asked <= policy.maxRetryAfterMillis) return asked
  const backoff = Math.min(policy.initialDelayMillis * 2 ** retry, policy.maxDelayMillis)
  return backoff * (1 - Math.random() * 0.25)
}

/**
 * The default policy's backoff as a `Schedule`, for Effect programs that retry their own
 * compositions (for instance with `maxRetries: 0` on the client).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, retrySchedule } from "bytekit-effect"
 * const listed = Account.listApiKeys().pipe(
 *   Effect.retry({ schedule: retrySchedule(), while: (e) => e._tag === "TransportError" })
 * )
 * ```
 * @since 0.1.0
 * @category retries
 */
export const retrySchedule = (policy: RetryPolicy = defaultRetryPolicy) =>
  Schedule.exponential(Duration.millis(policy.initialDelayMillis)).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((delay) => Duration.min(delay, Duration.millis(policy.maxDelayMillis))),
    Schedule.intersect(Schedule.recurs(policy.maxRetries))
  )
