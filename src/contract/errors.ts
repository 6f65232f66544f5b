/**
 * The SDK's failures: one tagged error per status of Bytekit's API-wide error table, plus the
 * failures that have no status of their own (unexpected statuses, bodies that do not decode,
 * transport faults, timeouts, bad input).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { Headers } from "#line/internal/effect.js"
import { statusErrors, type StatusErrorTag, statusWithError, type StatusWithError } from "../core/errors.js"
import { keepPrefix, redactSecrets, redactSecretsIn } from "../core/text.js"

/**
 * What every status error carries.
 *
 * @since 0.1.0
 * @category errors
 */
export interface ApiErrorFields {
  /** The HTTP status. */
  readonly status: number
  /** Bytekit's error code, e.g. `not_found`. */
  readonly code: string
  /** Bytekit's message, at most 200 characters, key-shaped values (`sk_live_…`) redacted. */
  readonly message: string
  /** Bytekit's `details`, `{}` when absent, key-shaped values redacted. */
  readonly details: Readonly<Record<string, unknown>>
  /** The response headers (`X-RateLimit-*` among them). */
  readonly headers: Headers.Headers
}

/** The fields with key-shaped values redacted: the classes' own defence, whoever builds them. */
const redactFields = <A extends ApiErrorFields>(fields: A): A => ({
  ...fields,
  code: redactSecrets(fields.code),
  message: redactSecrets(fields.message),
  details: redactSecretsIn(fields.details)
})

/**
 * 400 `invalid_request`: malformed JSON or a field that fails validation. Do not retry.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.createApiKey({ name: "x" }).pipe(Effect.catchTag("InvalidRequest", (e) => Effect.succeed(e.code)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 401 `unauthorized` (API key) or `unauthenticated` (Clerk session). Do not retry.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("Unauthorized", () => Effect.succeed(null)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Data.TaggedError("Unauthorized")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 402 `quota_exceeded`. Do not retry.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.listApiKeys().pipe(Effect.catchTag("QuotaExceeded", (e) => Effect.fail(e.message)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class QuotaExceeded extends Data.TaggedError("QuotaExceeded")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 403 `forbidden`: e.g. revealing a key of an account the session user is not a member of.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.revealApiKey("ak_1").pipe(Effect.catchTag("Forbidden", () => Effect.succeed(null)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Data.TaggedError("Forbidden")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 404 `not_found`: no key with this id on this account.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getApiKey("ak_1").pipe(Effect.map(Option.some), Effect.catchTag("NotFound", () => Effect.succeedNone))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Data.TaggedError("NotFound")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 409: `api_key_limit_reached`, `api_key_revoked` or `reveal_unavailable` (see `code`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.createApiKey().pipe(
 *   Effect.catchTag("Conflict", (e) => e.code === "api_key_limit_reached" ? Effect.succeed(null) : Effect.fail(e))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Data.TaggedError("Conflict")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 422 `validation_error`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.updateApiKey("ak_1", { name: "x" }).pipe(Effect.catchTag("ValidationFailed", (e) => Effect.succeed(e.details)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends Data.TaggedError("ValidationFailed")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * 429 `rate_limited`. `retryAfter` is the server's `Retry-After`, in milliseconds, when it sent one.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.revealApiKey("ak_1").pipe(Effect.catchTag("RateLimited", (e) => Effect.succeed(e.retryAfter)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Data.TaggedError("RateLimited")<ApiErrorFields & {
  readonly retryAfter: number | undefined
}> {
  constructor(fields: ApiErrorFields & { readonly retryAfter: number | undefined }) {
    super(redactFields(fields))
  }
}

/**
 * 5xx `internal_error`: a fault on Bytekit's side.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("InternalServerError", (e) => Effect.succeed(e.status)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends Data.TaggedError("InternalServerError")<ApiErrorFields> {
  constructor(fields: ApiErrorFields) {
    super(redactFields(fields))
  }
}

/**
 * A status outside the error table, or a 2xx whose body does not decode as the operation's
 * success (e.g. 418, or 202 with a job id where a key was expected). `body` is the text of the
 * first 2 KiB of the body, marked when cut; `message` shows at most 200 characters. Key-shaped
 * values (`sk_live_…`, `sk_test_…`) are redacted from both.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("UnexpectedStatus", (e) => Effect.succeed(e.status)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Data.TaggedError("UnexpectedStatus")<{
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
  readonly message: string
}> {
  constructor(fields: {
    readonly status: number
    readonly headers: Headers.Headers
    readonly body: string
    readonly message: string
  }) {
    super({ ...fields, body: redactSecrets(keepPrefix(fields.body)), message: redactSecrets(fields.message) })
  }
}

/**
 * A response whose body does not decode to what its status promises. `issue` says why
 * (key-shaped values redacted).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.listApiKeys().pipe(Effect.catchTag("MalformedResponse", (e) => Effect.succeed(e.issue)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Data.TaggedError("MalformedResponse")<{
  readonly status: number
  readonly headers: Headers.Headers
  readonly issue: string
  readonly message: string
}> {
  constructor(fields: {
    readonly status: number
    readonly headers: Headers.Headers
    readonly issue: string
    readonly message: string
  }) {
    super({ ...fields, issue: redactSecrets(fields.issue), message: redactSecrets(fields.message) })
  }
}

/**
 * The request never got a response: connection refused or reset, DNS failure, a broken body.
 * `sent` is false only when the request provably never reached the server.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("TransportError", (e) => Effect.succeed(e.message)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly method: string
  readonly url: string
  readonly message: string
  readonly sent: boolean
}> {
  constructor(fields: { readonly method: string; readonly url: string; readonly message: string; readonly sent: boolean }) {
    super({ ...fields, url: redactSecrets(fields.url), message: redactSecrets(fields.message) })
  }
}

/**
 * An attempt took longer than the configured timeout and was aborted.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("Timeout", (e) => Effect.succeed(e.timeoutMillis)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Timeout extends Data.TaggedError("Timeout")<{
  readonly method: string
  readonly url: string
  readonly timeoutMillis: number
  readonly message: string
}> {
  constructor(fields: { readonly method: string; readonly url: string; readonly timeoutMillis: number; readonly message: string }) {
    super({ ...fields, url: redactSecrets(fields.url), message: redactSecrets(fields.message) })
  }
}

/**
 * Input rejected before anything was sent: an empty id, a name outside 1..100 characters, a token
 * with control characters, a base URL that is not http(s), a session token that could not be had.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getApiKey("").pipe(Effect.catchTag("InvalidInput", (e) => Effect.succeed(e.message)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  readonly field: string
  readonly message: string
}> {
  constructor(fields: { readonly field: string; readonly message: string }) {
    super({ ...fields, message: redactSecrets(fields.message) })
  }
}

/**
 * Every error with a status from Bytekit's error table.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiStatusError =
  | InvalidRequest
  | Unauthorized
  | QuotaExceeded
  | Forbidden
  | NotFound
  | Conflict
  | ValidationFailed
  | RateLimited
  | InternalServerError

/**
 * Every failure an Account operation can have.
 *
 * @since 0.1.0
 * @category errors
 */
export type BytekitError =
  | ApiStatusError
  | UnexpectedStatus
  | MalformedResponse
  | TransportError
  | Timeout
  | InvalidInput
  | ResponseTooLarge
  | RedirectRefused

/** The class of each tag of the core's status table: the compiler asks for one per row. */
const errorClasses = {
  InvalidRequest,
  Unauthorized,
  QuotaExceeded,
  Forbidden,
  NotFound,
  Conflict,
  ValidationFailed,
  RateLimited,
  InternalServerError
} as const satisfies { readonly [T in StatusErrorTag]: unknown }

const rowOf = <S extends StatusWithError>(status: S) => ({
  error: errorClasses[statusErrors[status].tag] as (typeof errorClasses)[(typeof statusErrors)[S]["tag"]],
  code: statusErrors[status].code as (typeof statusErrors)[S]["code"]
})

/**
 * Bytekit's API-wide error table: the core's status → tag and code, with this line's error
 * classes. The SDK reads it to build errors.
 *
 * @example
 * ```ts
 * import { errorTable } from "bytekit-effect"
 * errorTable[404].code // "not_found"
 * ```
 * @since 0.1.0
 * @category errors
 */
export const errorTable: {
  readonly [S in StatusWithError]: {
    readonly error: (typeof errorClasses)[(typeof statusErrors)[S]["tag"]]
    readonly code: (typeof statusErrors)[S]["code"]
  }
} = {
  400: rowOf(400),
  401: rowOf(401),
  402: rowOf(402),
  403: rowOf(403),
  404: rowOf(404),
  409: rowOf(409),
  422: rowOf(422),
  429: rowOf(429),
  500: rowOf(500)
}

/**
 * The statuses of the error table (5xx all map to `InternalServerError`).
 *
 * @since 0.1.0
 * @category errors
 */
export type ErrorStatus = keyof typeof errorTable

/**
 * The table row for a status, or undefined for a status outside it.
 *
 * @example
 * ```ts
 * import { errorRow } from "bytekit-effect"
 * errorRow(503)?.code // "internal_error"
 * ```
 * @since 0.1.0
 * @category errors
 */
export const errorRow = (status: number): (typeof errorTable)[ErrorStatus] | undefined => {
  const row = statusWithError(status)
  return row === undefined ? undefined : errorTable[row]
}

/**
 * A failure the SDK did not foresee (a bug, or a runtime refusing something), as the Promise and
 * sync forms report it: they reject only with the SDK's tagged errors, never a plain `Error` or
 * Effect's `FiberFailure`. `message` says what happened, key-shaped values redacted. The Effect
 * API keeps such a failure a defect (`Cause.die`), as Effect does.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient, Defect } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * getAccount.asyncio(client).catch((e) => e instanceof Defect ? console.error("SDK bug:", e.message) : undefined)
 * ```
 * @since 0.1.0
 * @category errors
 */
export class Defect extends Data.TaggedError("Defect")<{
  readonly message: string
}> {
  constructor(fields: { readonly message: string }) {
    super({ ...fields, message: redactSecrets(fields.message) })
  }
}

/**
 * A response body longer than `maxResponseBytes` (default 8 MiB): its declared `Content-Length`,
 * or what was read of it, passed `limitBytes`. Reading stopped there and the connection was
 * closed, so a hostile or broken server cannot fill memory. Not retried.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.listApiKeys().pipe(Effect.catchTag("ResponseTooLarge", (e) => Effect.succeed(e.limitBytes)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class ResponseTooLarge extends Data.TaggedError("ResponseTooLarge")<{
  readonly status: number
  readonly limitBytes: number
  readonly method: string
  readonly url: string
  readonly message: string
}> {
  constructor(fields: { readonly status: number; readonly limitBytes: number; readonly method: string; readonly url: string; readonly message: string }) {
    super({ ...fields, url: redactSecrets(fields.url), message: redactSecrets(fields.message) })
  }
}

/**
 * A redirect the SDK would not follow (with `followRedirects: true`, or any opaque one):
 * - `tooManyRedirects`: more than 5 in a row;
 * - `downgrade`: from https to plain http;
 * - `badLocation`: no usable `Location` (not a URL, or not http(s));
 * - `opaque`: the runtime hid the redirect (a browser answers `redirect: "manual"` with status 0),
 *   so neither its target nor its status can be read.
 *
 * `status` is the 3xx (0 when opaque); `location` is the target's origin and path, without its
 * query. Not retried.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * Account.getAccount().pipe(Effect.catchTag("RedirectRefused", (e) => Effect.succeed(e.reason)))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class RedirectRefused extends Data.TaggedError("RedirectRefused")<{
  readonly reason: "tooManyRedirects" | "downgrade" | "badLocation" | "opaque"
  readonly status: number
  readonly method: string
  readonly url: string
  readonly location: string | undefined
  readonly message: string
}> {
  constructor(fields: {
    readonly reason: "tooManyRedirects" | "downgrade" | "badLocation" | "opaque"
    readonly status: number
    readonly method: string
    readonly url: string
    readonly location: string | undefined
    readonly message: string
  }) {
    super({
      ...fields,
      url: redactSecrets(fields.url),
      location: fields.location === undefined ? undefined : redactSecrets(fields.location),
      message: redactSecrets(fields.message)
    })
  }
}

/**
 * A sync form (`sync`, `syncDetailed`) could not run its call: its worker thread would not start,
 * could not load its module (a `--import` preload that throws in worker threads, a TypeScript
 * source with no loader for it), or stopped during the call. Raised within moments of the cause,
 * never after the retry deadline. `sent` is false when the call never reached the worker, so no
 * byte of it left; true when the worker stopped while running it. The async forms and the Effect
 * API do not use the worker and never raise it.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient, WorkerUnavailable } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * try {
 *   getAccount.sync(client)
 * } catch (e) {
 *   if (e instanceof WorkerUnavailable) console.error("use asyncio here:", e.message)
 * }
 * ```
 * @since 0.1.0
 * @category errors
 */
export class WorkerUnavailable extends Data.TaggedError("WorkerUnavailable")<{
  readonly sent: boolean
  readonly message: string
}> {
  constructor(fields: { readonly sent: boolean; readonly message: string }) {
    super({ ...fields, message: redactSecrets(fields.message) })
  }
}

/** The brand on every SDK error's prototype. `Symbol.for`, so it is one symbol for both lines (1.x, 2.x) and every copy of the package a program loads. */
const bytekitErrorBrand = Symbol.for("bytekit-effect/BytekitError")

/**
 * Every SDK error class, by tag: the status table's and the ones without a status. What the sync
 * forms rebuild an error from after it crossed the worker thread, and what carries the brand.
 *
 * @example
 * ```ts
 * import { errorClassesByTag, NotFound } from "bytekit-effect"
 * errorClassesByTag.NotFound === NotFound // true
 * ```
 * @since 0.1.0
 * @category errors
 */
export const errorClassesByTag = {
  ...errorClasses,
  UnexpectedStatus,
  MalformedResponse,
  TransportError,
  Timeout,
  InvalidInput,
  ResponseTooLarge,
  RedirectRefused,
  Defect,
  WorkerUnavailable
} as const

for (const ErrorClass of Object.values(errorClassesByTag)) {
  // On the prototype, not the instance: nothing new to clone, compare or print.
  Object.defineProperty(ErrorClass.prototype, bytekitErrorBrand, { value: true })
}

/**
 * Whether a value is one of the SDK's errors: any class of this module, whichever form raised it
 * (the Effect API, a Promise form, a sync form through its worker thread) and whichever line
 * built it (1.x and 2.x share the brand `Symbol.for("bytekit-effect/BytekitError")`). For plain
 * code that catches "any SDK error" and lets everything else through.
 *
 * @example
 * ```ts
 * import { AuthenticatedClient, isBytekitError } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 * const client = new AuthenticatedClient({ token: "sk_test_..." })
 * try {
 *   await getAccount.asyncio(client)
 * } catch (e) {
 *   if (!isBytekitError(e)) throw e
 *   console.error(`Bytekit said no (${e._tag}): ${e.message}`)
 * }
 * ```
 * @since 0.1.0
 * @category errors
 */
export const isBytekitError = (u: unknown): u is BytekitError | Defect | WorkerUnavailable =>
  typeof u === "object" && u !== null && bytekitErrorBrand in u
