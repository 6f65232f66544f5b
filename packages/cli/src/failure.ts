/**
 * How the command line fails: one kind per failure, one exit status per kind, one line on stderr
 * naming the fix. Every message here is built from the SDK's errors, which already redact
 * key-shaped values, and from text of our own that never quotes a credential.
 *
 * @since 2.0.0
 */
import * as Data from "effect/Data"

/**
 * The kinds of failure, each with its own exit status.
 *
 * @since 2.0.0
 * @category models
 */
export type Kind =
  | "failure"
  | "usage"
  | "auth"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "network"
  | "server"
  | "rotation_incomplete"
  | "aborted"

/**
 * The documented exit status of each kind (README: "Exit status").
 *
 * @example
 * ```ts
 * import { exitCodes } from "./failure.js"
 * exitCodes.not_found // 4
 * ```
 * @since 2.0.0
 * @category constants
 */
export const exitCodes: Readonly<Record<Kind, number>> = {
  failure: 1,
  usage: 2,
  auth: 3,
  not_found: 4,
  conflict: 5,
  rate_limited: 6,
  network: 7,
  server: 8,
  rotation_incomplete: 9,
  aborted: 10
}

/** Ctrl-C, as shells report a SIGINT. */
export const interruptedExitCode = 130

/**
 * A failure as the command line reports it: what went wrong and, where there is one, the fix.
 *
 * @example
 * ```ts
 * import { CliFailure } from "./failure.js"
 * new CliFailure({ kind: "usage", message: "keys revoke needs --yes off a terminal" })
 * ```
 * @since 2.0.0
 * @category errors
 */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly kind: Kind
  readonly message: string
  readonly fix?: string | undefined
  readonly status?: number | undefined
  readonly code?: string | undefined
  readonly retryAfterSeconds?: number | undefined
}> {}

/** What the SDK's tagged errors carry that we read; every field optional, read defensively. */
interface SdkError {
  readonly _tag: string
  readonly status?: number
  readonly code?: string
  readonly message?: string
  readonly field?: string
  readonly retryAfter?: number | undefined
  readonly timeoutMillis?: number
  readonly reason?: unknown
}

/** Where the request was going and with which credential: what the fixes talk about. */
export interface FailureContext {
  /** The origin requests go to (never a path or query: those could hold anything). */
  readonly origin: string
  /** Which credential was sent. */
  readonly credential: "apiKey" | "sessionToken"
  /** The key id the command was about, when there is one. */
  readonly id?: string | undefined
  /** The command, as the fix should name it (`keys reveal`). */
  readonly command: string
}

const isSdkError = (error: unknown): error is SdkError =>
  typeof error === "object" && error !== null && "_tag" in error && typeof (error as { _tag: unknown })._tag === "string"

/** The server's words, one line, at most 200 characters. */
const oneLine = (text: string | undefined): string => (text ?? "").replace(/\s+/g, " ").trim().slice(0, 200)

const statusLabel = (error: SdkError): string =>
  error.status === undefined ? "" : ` (${error.status}${error.code === undefined ? "" : ` ${error.code}`})`

/**
 * The command line's failure for one of the SDK's errors (or anything else that reached the top).
 *
 * @example
 * ```ts
 * import { describeError } from "./failure.js"
 * describeError(error, { origin: "https://api.bytekit.com", credential: "apiKey", command: "keys list" })
 * ```
 * @since 2.0.0
 * @category errors
 */
export const describeError = (error: unknown, context: FailureContext): CliFailure => {
  if (error instanceof CliFailure) return error
  if (!isSdkError(error)) return new CliFailure({ kind: "failure", message: "unexpected failure (a bug in bytekit)" })
  const said = oneLine(error.message)
  const base = { status: error.status, code: error.code }
  const id = context.id ?? "<id>"
  switch (error._tag) {
    case "Unauthorized":
      return new CliFailure({
        ...base,
        kind: "auth",
        message: `not authenticated${statusLabel(error)}: ${said}`,
        fix: context.credential === "sessionToken"
          ? "the session token was refused: put a fresh Clerk session token in BYTEKIT_SESSION_TOKEN or pass --session-token (they live about 60 seconds)"
          : context.command === "keys reveal"
          ? "keys reveal needs a Clerk session token (--session-token or BYTEKIT_SESSION_TOKEN), not an API key"
          : `set BYTEKIT_API_KEY to a valid, unrevoked API key for ${context.origin}`
      })
    case "Forbidden":
      return new CliFailure({
        ...base,
        kind: "auth",
        message: `not allowed${statusLabel(error)}: ${said}`,
        fix: "sign in as a member of the account that owns this key and use that session token"
      })
    case "NotFound":
      return new CliFailure({
        ...base,
        kind: "not_found",
        message: `no key ${id} on this account${statusLabel(error)}`,
        fix: "`bytekit keys list --all` shows the account's key ids"
      })
    case "Conflict":
      return new CliFailure({
        ...base,
        kind: "conflict",
        message: `${said}${statusLabel(error)}`,
        fix: error.code === "api_key_revoked"
          ? "the key is revoked; `bytekit keys create` makes a new one"
          : error.code === "api_key_limit_reached"
          ? "revoke keys you no longer use (`bytekit keys list`, then `bytekit keys revoke <id>`)"
          : error.code === "reveal_unavailable"
          ? `this key was made before keys could be revealed; \`bytekit keys rotate ${id}\` replaces it with one that can`
          : undefined
      })
    case "RateLimited": {
      const seconds = error.retryAfter === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfter / 1000))
      return new CliFailure({
        ...base,
        kind: "rate_limited",
        message: `rate limited by Bytekit${statusLabel(error)}`,
        fix: seconds === undefined ? "wait a moment and try again" : `try again in ${seconds}s`,
        retryAfterSeconds: seconds
      })
    }
    case "QuotaExceeded":
      return new CliFailure({ ...base, kind: "failure", message: `quota exceeded${statusLabel(error)}: ${said}`, fix: "top up or upgrade the plan" })
    case "InvalidRequest":
    case "ValidationFailed":
      return new CliFailure({ ...base, kind: "usage", message: `refused by Bytekit${statusLabel(error)}: ${said}` })
    case "InvalidInput":
      return error.field === "baseUrl"
        ? new CliFailure({ kind: "usage", message: said, fix: "pass --base-url (or set BYTEKIT_BASE_URL) to an http(s) URL" })
        : error.field === "apiKey"
        ? new CliFailure({ kind: "auth", message: `BYTEKIT_API_KEY is unusable: ${said}`, fix: "set BYTEKIT_API_KEY to an API key (sk_live_… or sk_test_…)" })
        : error.field === "sessionToken"
        ? new CliFailure({ kind: "auth", message: `the session token is unusable: ${said}`, fix: "pass a Clerk session token with --session-token or BYTEKIT_SESSION_TOKEN" })
        : new CliFailure({ kind: "usage", message: said })
    case "TransportError":
      return new CliFailure({
        kind: "network",
        message: `could not reach ${context.origin}: ${said}`,
        fix: "check the network, and --base-url / BYTEKIT_BASE_URL"
      })
    case "Timeout":
      return new CliFailure({
        kind: "network",
        message: `no answer from ${context.origin} in time`,
        fix: "try again, or give it longer with --timeout (e.g. --timeout 2m)"
      })
    case "InternalServerError":
      return new CliFailure({ ...base, kind: "server", message: `Bytekit failed${statusLabel(error)}: ${said}`, fix: "try again later" })
    case "UnexpectedStatus":
    case "MalformedResponse":
    case "ResponseTooLarge":
    case "RedirectRefused":
      return new CliFailure({
        ...base,
        kind: "server",
        message: `unexpected answer from ${context.origin}: ${said}`,
        fix: "is --base-url / BYTEKIT_BASE_URL the Bytekit API?"
      })
    default:
      return new CliFailure({ kind: "failure", message: `unexpected failure (${error._tag})` })
  }
}

/**
 * The failure as one line for stderr: `bytekit: <what>; <fix>`.
 *
 * @example
 * ```ts
 * import { CliFailure, formatLine } from "./failure.js"
 * formatLine(new CliFailure({ kind: "usage", message: "bad" }), false) // "bytekit: bad"
 * ```
 * @since 2.0.0
 * @category rendering
 */
export const formatLine = (failure: CliFailure, color: boolean): string => {
  const label = color ? "\u001b[31mbytekit:\u001b[0m" : "bytekit:"
  return `${label} ${failure.message}${failure.fix === undefined ? "" : `; ${failure.fix}`}`
}

/**
 * The failure as JSON for stderr under `--json`.
 *
 * @example
 * ```ts
 * import { CliFailure, formatJson } from "./failure.js"
 * JSON.parse(formatJson(new CliFailure({ kind: "usage", message: "bad" }))).error.exit_code // 2
 * ```
 * @since 2.0.0
 * @category rendering
 */
export const formatJson = (failure: CliFailure, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    error: {
      kind: failure.kind,
      exit_code: exitCodes[failure.kind],
      message: failure.message,
      ...(failure.fix === undefined ? {} : { fix: failure.fix }),
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.code === undefined ? {} : { code: failure.code }),
      ...(failure.retryAfterSeconds === undefined ? {} : { retry_after_seconds: failure.retryAfterSeconds }),
      ...extra
    }
  })
