/**
 * The SDK client each command runs on: base URL, credential and timeout from the shared flags and
 * the environment; 429s surfaced to the command line (which waits with a countdown on a terminal)
 * instead of retried silently inside the SDK.
 *
 * @since 2.0.0
 */
import { BytekitClient, defaultBaseUrl } from "bytekit-effect"
import type * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { CliFailure, describeError, type FailureContext } from "./failure.js"
import { countdown, err, withProgress } from "./terminal.js"

/**
 * The flags every command shares.
 *
 * @since 2.0.0
 * @category models
 */
export interface Globals {
  readonly baseUrl: Option.Option<string>
  readonly json: boolean
  readonly timeout: Duration.Duration
}

/** The CLI's version, sent in the User-Agent. */
export const version = "2.0.0-next.0"

/** How many times a 429 is waited out before giving up, and the longest wait worth sitting through. */
const rateLimitRetries = 2
const longestRateLimitWaitMillis = 30_000

/** A non-empty environment variable, or undefined. */
const env = (name: string): string | undefined => {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

/**
 * The base URL: --base-url, else BYTEKIT_BASE_URL, else production.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import { resolveBaseUrl } from "./client.js"
 * resolveBaseUrl(Option.none()) // "https://api.bytekit.com" unless BYTEKIT_BASE_URL is set
 * ```
 * @since 2.0.0
 * @category config
 */
export const resolveBaseUrl = (flag: Option.Option<string>): string =>
  Option.getOrElse(flag, () => env("BYTEKIT_BASE_URL") ?? defaultBaseUrl)

/** The origin of a base URL, for messages: never its path, query or credentials. */
const originOf = (baseUrl: string): string => {
  try {
    return new URL(baseUrl).origin
  } catch {
    return "the base URL"
  }
}

/**
 * What a call authenticates with.
 *
 * @since 2.0.0
 * @category models
 */
export type Credential =
  | { readonly _tag: "apiKey" }
  | { readonly _tag: "sessionToken"; readonly token: Option.Option<Redacted.Redacted<string>> }

/**
 * Everything a command needs to run SDK calls: `call` runs one with progress, the rate-limit
 * countdown and the --timeout deadline, and turns its failure into a `CliFailure`.
 *
 * @since 2.0.0
 * @category models
 */
export interface Session {
  readonly globals: Globals
  readonly context: FailureContext
  readonly call: <A, E>(label: string, effect: Effect.Effect<A, E, BytekitClient>) => Effect.Effect<A, CliFailure>
}

/**
 * Builds the session of a command: checks the credential is there (naming the variable that holds
 * it when it is not) and the client's options.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * import { makeSession } from "./client.js"
 * Effect.gen(function*() {
 *   const session = yield* makeSession(globals, "keys list", { _tag: "apiKey" })
 *   return yield* session.call("Listing keys", Account.listApiKeys())
 * })
 * ```
 * @since 2.0.0
 * @category client
 */
export const makeSession = (
  globals: Globals,
  command: string,
  credential: Credential,
  id?: string
): Effect.Effect<Session, CliFailure> =>
  Effect.gen(function*() {
    const baseUrl = resolveBaseUrl(globals.baseUrl)
    const context: FailureContext = { origin: originOf(baseUrl), credential: credential._tag, id, command }
    let auth: { readonly apiKey: Redacted.Redacted<string> } | { readonly sessionToken: () => Redacted.Redacted<string> }
    if (credential._tag === "sessionToken") {
      const token = Option.orElse(credential.token, () => Option.map(Option.fromNullishOr(env("BYTEKIT_SESSION_TOKEN")), Redacted.make))
      if (Option.isNone(token)) {
        return yield* new CliFailure({
          kind: "auth",
          message: `${command} needs a Clerk session token, and an API key cannot reveal keys`,
          fix: "pass --session-token or set BYTEKIT_SESSION_TOKEN"
        })
      }
      const value = token.value
      auth = { sessionToken: () => value }
    } else {
      const key = env("BYTEKIT_API_KEY")
      if (key === undefined) {
        return yield* new CliFailure({
          kind: "auth",
          message: "no API key",
          fix: "set BYTEKIT_API_KEY to an API key (sk_live_… or sk_test_…)"
        })
      }
      auth = { apiKey: Redacted.make(key) }
    }
    const layer = BytekitClient.layer({
      baseUrl,
      ...auth,
      timeout: globals.timeout,
      userAgent: `bytekit-cli/${version}`,
      // 429s come back to us: the command line waits them out with a countdown on a terminal.
      retry: { retryStatuses: [408, 500, 502, 503, 504] },
      warnOnPlainHttp: false
    }).pipe(Layer.provide(FetchHttpClient.layer))
    const client = yield* Layer.build(layer).pipe(
      Effect.scoped,
      Effect.mapError((error) => describeError(error, context))
    )
    const warning = plainHttp(baseUrl)
    if (warning !== undefined) yield* err(warning)
    const call = <A, E>(label: string, effect: Effect.Effect<A, E, BytekitClient>): Effect.Effect<A, CliFailure> => {
      const attempt = (retry: number): Effect.Effect<A, E | Cause.TimeoutError, BytekitClient> =>
        effect.pipe(
          Effect.catchIf(
            (error): error is E & { readonly _tag: "RateLimited"; readonly retryAfter: number | undefined } =>
              isRateLimited(error) && retry < rateLimitRetries &&
              (error.retryAfter ?? 1000) <= longestRateLimitWaitMillis,
            (error) =>
              Effect.andThen(
                countdown(Math.max(error.retryAfter ?? 1000, 0), "Rate limited by Bytekit", globals.json),
                attempt(retry + 1)
              )
          )
        )
      return withProgress(attempt(0), label, globals.json).pipe(
        Effect.timeout(globals.timeout),
        Effect.provideContext(client),
        Effect.mapError((error) =>
          isTimeoutError(error)
            ? new CliFailure({
              kind: "network",
              message: `no answer from ${context.origin} within ${Duration.format(globals.timeout)}`,
              fix: "try again, or give it longer with --timeout (e.g. --timeout 2m)"
            })
            : describeError(error, context)
        )
      )
    }
    return { globals, context, call }
  })

const isRateLimited = (error: unknown): error is { readonly _tag: "RateLimited"; readonly retryAfter: number | undefined } =>
  typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === "RateLimited"

const isTimeoutError = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === "TimeoutError"

/** A warning for plain http to a host that is not this machine: the key would cross the network unencrypted. */
const plainHttp = (baseUrl: string): string | undefined => {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return undefined
  }
  const host = url.hostname.replace(/^\[|\]$/g, "")
  const loopback = host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1"
  return url.protocol === "http:" && !loopback
    ? `bytekit: warning: ${url.origin} is plain http, so the credential crosses the network unencrypted; use https://`
    : undefined
}
