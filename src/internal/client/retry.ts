/**
 * When to try a request again, and how long to wait first.
 *
 * @since 0.1.0
 */
import { backoffSchedule, type Headers } from "#line/internal/effect.js"

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
 * 0.5 s doubling to 8 s with jitter, honouring `Retry-After` up to 60 s. The longest a call can
 * take is `worstCaseMillis(policy, timeout)`: for the defaults and the 60 s timeout, 3 attempts of
 * 60 s plus 2 waits of at most 60 s, 5 minutes; without `Retry-After`, 3 × 60 s + 0.5 s + 1 s.
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
 * The policy a client runs: the defaults, overridden by the fields of `retry` that are set, and by
 * `maxRetries` when set (the client option wins over `retry.maxRetries`). The Effect pipeline and
 * the sync forms' deadline both resolve it here.
 *
 * @example
 * ```ts
 * resolveRetryPolicy({ maxRetries: 5 }).maxRetries // 5
 * resolveRetryPolicy({ maxRetries: 5 }, 1).maxRetries // 1
 * ```
 * @since 0.1.0
 * @category internals
 */
export const resolveRetryPolicy = (retry?: Partial<RetryPolicy>, maxRetries?: number): RetryPolicy => {
  const policy: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] } = { ...defaultRetryPolicy }
  // A field given as undefined (possible from JavaScript) keeps its default rather than erasing it.
  for (const [key, value] of Object.entries(retry ?? {})) {
    if (value !== undefined && key in policy) Object.assign(policy, { [key]: value })
  }
  if (maxRetries !== undefined) policy.maxRetries = maxRetries
  return policy
}

/**
 * The longest one call can take under `policy` with a per-attempt timeout of `timeoutMillis`:
 * every attempt running to its timeout, and every wait as long as the policy allows (a
 * `Retry-After` up to `maxRetryAfterMillis`, else the backoff). `Infinity` for unbounded retries.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy, worstCaseMillis } from "bytekit-effect"
 * worstCaseMillis(defaultRetryPolicy, 60_000) // 300000: 3 attempts of 60 s, 2 waits of 60 s
 * worstCaseMillis({ ...defaultRetryPolicy, maxRetries: 5, maxRetryAfterMillis: 0 }, 1_000) // 21500: 6 × 1 s + 0.5 + 1 + 2 + 4 + 8 s
 * ```
 * @since 0.1.0
 * @category retries
 */
export const worstCaseMillis = (policy: RetryPolicy, timeoutMillis: number): number => {
  // As the retry loop counts: `retry < maxRetries`, so 2.5 allows 3 retries and NaN none.
  const retries = Number.isNaN(policy.maxRetries) ? 0 : Math.max(0, Math.ceil(policy.maxRetries))
  const attempt = Math.max(0, timeoutMillis)
  if (!Number.isFinite(retries) || !Number.isFinite(attempt)) return Infinity
  const wait = (retry: number) =>
    Math.max(0, policy.maxRetryAfterMillis, Math.min(policy.initialDelayMillis * 2 ** retry, policy.maxDelayMillis))
  // The backoff stops growing within 64 doublings: the waits after that are all the last one.
  const grown = Math.min(retries, 64)
  let total = (retries + 1) * attempt
  for (let retry = 0; retry < grown; retry++) total += wait(retry)
  total += (retries - grown) * wait(grown)
  return Number.isNaN(total) ? Infinity : total
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
  backoffSchedule(policy.initialDelayMillis, policy.maxDelayMillis, policy.maxRetries)
