/**
 * The `BytekitClient` service: where requests go, how they are authenticated, and how long and
 * how often they are tried. Built from an `HttpClient` (fetch, undici, or the in-memory emulator).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import {
  checkAuthHeader as checkAuthHeaderRule,
  checkHeaders as checkHeadersRule,
  checkSecretText,
  Problem
} from "../../core/checks.js"
import * as Result from "../../core/result.js"
import { fromResult } from "../fromResult.js"
import {
  catchCause,
  type ConfigError,
  configRedacted,
  configString,
  decodeDuration,
  type DurationInput,
  failureOf,
  type Headers,
  type HttpClient,
  type HttpClientError,
  type HttpClientRequest,
  type HttpClientResponse,
  HttpClientService,
  httpSpanPlan,
  isInterruptedOnly,
  makeClientSpan,
  makeHttpClientWith,
  nowNanos,
  redactHeaders,
  requestSetHeaders,
  sdkVersion,
  service,
  ServiceKey,
  traceHeaders,
  withoutHttpSpans
} from "#line/internal/effect.js"
import { InvalidInput } from "../../contract/errors.js"
import { baseUrlProblem } from "../../core/base-url-hint.js"
import { checkMaxResponseBytes, defaultMaxResponseBytes } from "./body.js"
import { describeFailure, headerSecrets, scrubMessage } from "../../core/scrub.js"
import { nodeTransportOf } from "./nodeKeys.js"
import type { RetryPolicy } from "./retry.js"
import { resolveRetryPolicy } from "./retry.js"

/**
 * A credential: a string, or a `Redacted` string that never shows in logs.
 *
 * @since 0.1.0
 * @category models
 */
export type Secret = string | Redacted.Redacted<string>

/**
 * Where a fresh token comes from, per request: an Effect, or (for plain code) a function
 * returning the token or a Promise of it. Clerk session tokens live about 60 seconds.
 *
 * @since 0.1.0
 * @category models
 */
export type TokenSource = Effect.Effect<Secret, unknown> | (() => Secret | PromiseLike<Secret>)

/**
 * Options of `BytekitClient.layer` and `BytekitClient.make`.
 *
 * @since 0.1.0
 * @category models
 */
export interface BytekitClientOptions {
  /** Default `https://api.bytekit.com`; staging is `https://api-stg.bytekit.com`. */
  readonly baseUrl?: string | undefined
  /** An API key (`sk_live_…` or `sk_test_…`). */
  readonly apiKey?: Secret | undefined
  /** A Clerk session token source, evaluated per request. Takes precedence over `apiKey`. */
  readonly sessionToken?: TokenSource | undefined
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Sent as `User-Agent` (where the runtime allows it). */
  readonly userAgent?: string | undefined
  /** The header that carries the credential, an HTTP token (RFC 9110). Default `Authorization`. */
  readonly authHeaderName?: string | undefined
  /**
   * What precedes the credential in that header, without control characters. Default `Bearer`;
   * `""` sends the token alone.
   */
  readonly authPrefix?: string | undefined
  /** Per-attempt timeout. Default 60 seconds. */
  readonly timeout?: DurationInput | undefined
  /** Retries after the first attempt. Default 2. */
  readonly maxRetries?: number | undefined
  /** Backoff and which failures to retry; see `RetryPolicy`. */
  readonly retry?: Partial<RetryPolicy> | undefined
  /**
   * Also trace each HTTP attempt in Effect's HTTP client span (request and response headers
   * as attributes, W3C trace headers sent to Bytekit). Default false: each operation's own span
   * covers the call, and the per-request span costs as much as the rest of the SDK. The span
   * never holds the credential: its exit carries no request, and the auth header is redacted.
   */
  readonly httpSpans?: boolean | undefined
  /**
   * Log a warning (once per client built) when an `http://` base URL to a host that is not
   * loopback would send the credential unencrypted. Default true.
   */
  readonly warnOnPlainHttp?: boolean | undefined
  /**
   * Follow 301/302/303/307/308 redirects (at most 5). Default false: a 3xx is an undocumented
   * status. The SDK follows them itself (the transport is told not to): the auth header and
   * `secretHeaders` never go to another origin, and https never goes to http.
   */
  readonly followRedirects?: boolean | undefined
  /** Names of `headers` whose values are secret: never sent to another origin, redacted in spans. */
  readonly secretHeaders?: ReadonlyArray<string> | undefined
  /** The most bytes of a response body read; past it, `ResponseTooLarge`. Default 8 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The resolved configuration every request reads.
 *
 * @since 0.1.0
 * @category models
 */
export interface BytekitClientConfig {
  readonly baseUrl: string
  readonly token: Effect.Effect<Option.Option<Redacted.Redacted<string>>, InvalidInput>
  readonly headers: Readonly<Record<string, string>>
  readonly authHeaderName: string
  readonly authPrefix: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy
  readonly httpClient: HttpClient.HttpClient
  readonly followRedirects: boolean
  /** Lower-case names. */
  readonly secretHeaders: ReadonlyArray<string>
  readonly maxResponseBytes: number
}

/**
 * The default base URL (production).
 *
 * @example
 * ```ts
 * import { defaultBaseUrl } from "bytekit-effect"
 * defaultBaseUrl // "https://api.bytekit.com"
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.bytekit.com"

/**
 * The default per-attempt timeout.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { defaultTimeout } from "bytekit-effect"
 * Duration.toSeconds(defaultTimeout) // 60
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout = Duration.seconds(60)

/** A core check's answer as a plain result: the value, or `InvalidInput` with the problem's field and message. */
const checked = <A>(answer: A | Problem): Result.Result<A, InvalidInput> =>
  answer instanceof Problem
    ? Result.fail(new InvalidInput({ field: answer.field, message: answer.message }))
    : Result.succeed(answer)

/**
 * Checks a secret before it goes into a header: a string (or `Redacted` string), not empty,
 * nothing a header cannot carry. Refused without echoing it.
 *
 * @since 0.1.0
 * @category internals
 */
export const checkSecret = (secret: unknown, field: string): Result.Result<Redacted.Redacted<string>, InvalidInput> => {
  const value = checked(checkSecretText(Redacted.isRedacted(secret) ? Redacted.value(secret) : secret, field))
  if (!value.ok) return value
  return Result.succeed(Redacted.isRedacted(secret) ? (secret as Redacted.Redacted<string>) : Redacted.make(value.value))
}

/**
 * Checks the auth header's name (an HTTP token) and prefix (no control characters, Latin-1), as
 * tokens are checked: a bad one is refused before anything is sent, its value never echoed (a
 * client refusing the header would quote it, token included). `fields` names the options as the
 * caller knows them.
 *
 * @since 0.1.0
 * @category internals
 */
export const checkAuthHeader = (
  name: unknown,
  prefix: unknown,
  fields?: { readonly name: string; readonly prefix: string }
): Result.Result<void, InvalidInput> => checked(checkAuthHeaderRule(name, prefix, fields))

/**
 * A token from a source (an Effect, or a function returning a token or a Promise of one),
 * checked. Whatever the source does (fail, reject, throw, die, answer a non-string) is
 * `InvalidInput` naming `field`, never a defect, and never quotes what the source said.
 *
 * @since 0.1.0
 * @category internals
 */
export const fetchToken = (source: TokenSource, field: string): Effect.Effect<Redacted.Redacted<string>, InvalidInput> => {
  const failed = new InvalidInput({ field, message: `the ${field} source failed` })
  const fetched: Effect.Effect<unknown, unknown> = Effect.isEffect(source)
    ? source
    : Effect.suspend((): Effect.Effect<unknown, unknown> => {
      try {
        const result: unknown = source()
        return typeof result === "object" && result !== null && "then" in result && !Redacted.isRedacted(result)
          ? Effect.tryPromise(() => Promise.resolve(result))
          : Effect.succeed(result)
      } catch {
        return Effect.fail(failed)
      }
    })
  return catchCause(fetched, (cause) => {
    if (isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
    // A check of ours upstream (an SDK-built source) keeps its own field and message.
    const failure = failureOf(cause)
    return Effect.fail(failure instanceof InvalidInput ? failure : failed)
  }).pipe(Effect.flatMap((secret) => fromResult(checkSecret(secret, field))))
}

const resolveToken = (options: BytekitClientOptions): BytekitClientConfig["token"] => {
  const source = options.sessionToken
  if (source !== undefined) return Effect.map(fetchToken(source, "sessionToken"), Option.some)
  if (options.apiKey !== undefined) {
    // A fixed key is checked once, not on every request.
    return fromResult(Result.map(checkSecret(options.apiKey, "apiKey"), Option.some))
  }
  return Effect.succeed(Option.none())
}

/** Whether a URL's host is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`. */
const isLoopback = (url: URL): boolean => {
  const host = url.hostname.replace(/\.$/, "").toLowerCase()
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
}

/**
 * The warning for a base URL that would send a credential unencrypted over a network (`http://`
 * to a host that is not loopback), or undefined. Names the origin only, never the credential.
 *
 * @since 0.1.0
 * @category internals
 */
export const plainHttpWarning = (baseUrl: string): string | undefined => {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== "http:" || isLoopback(url)) return undefined
  return `bytekit-effect: baseUrl ${url.origin} is plain http to a host that is not loopback, so the API key or ` +
    "session token crosses the network unencrypted. Use https:// (warnOnPlainHttp: false silences this)."
}

/** Checks a base URL: http or https, no credentials in it; the trailing slash is dropped. */
const parseBaseUrl = (baseUrl: string | undefined): Effect.Effect<string, InvalidInput> => {
  const raw = baseUrl ?? defaultBaseUrl
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: baseUrlProblem(raw) ?? "baseUrl is not a valid URL" }))
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: baseUrlProblem(raw) ?? `baseUrl must be http(s), not ${url.protocol}` }))
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: baseUrlProblem(raw) ?? "baseUrl must not carry credentials" }))
  }
  return Effect.succeed(url.href.replace(/\/+$/, ""))
}

/**
 * Refuses header names that are not HTTP tokens, and values that are not strings or hold what a
 * header cannot carry (CR, LF, control characters, lone surrogates, beyond Latin-1).
 */
export const checkHeaders = (headers: Readonly<Record<string, string>>): Effect.Effect<void, InvalidInput> => {
  const problem = checkHeadersRule(headers)
  return problem === undefined ? Effect.void : Effect.fail(new InvalidInput({ field: problem.field, message: problem.message }))
}

/** A timeout as a Duration, or `InvalidInput` for what is not one. */
export const parseTimeout = (timeout: DurationInput): Effect.Effect<Duration.Duration, InvalidInput> => {
  const duration = decodeDuration(timeout)
  return duration === undefined
    ? Effect.fail(new InvalidInput({ field: "timeout", message: "timeout is not a duration" }))
    : Effect.succeed(duration)
}

/** Secret header names: strings, kept lower-case. */
const checkSecretHeaders = (names: ReadonlyArray<string> | undefined): Result.Result<ReadonlyArray<string>, InvalidInput> =>
  names === undefined
    ? Result.succeed([])
    : Array.isArray(names) && names.every((name) => typeof name === "string")
    ? Result.succeed(names.map((name) => name.toLowerCase()))
    : Result.fail(new InvalidInput({ field: "secretHeaders", message: "secretHeaders must be an array of header names" }))

/** Resolves options against an `HttpClient` into the configuration requests read. */
const makeConfig = (
  options: BytekitClientOptions,
  httpClient: HttpClient.HttpClient
): Effect.Effect<BytekitClientConfig, InvalidInput> =>
  Effect.gen(function*() {
    const baseUrl = yield* parseBaseUrl(options.baseUrl)
    const headers: Record<string, string> = {
      "user-agent": options.userAgent ?? `bytekit-effect/${sdkVersion}`,
      ...options.headers
    }
    yield* checkHeaders(headers)
    const timeout = options.timeout === undefined ? defaultTimeout : yield* parseTimeout(options.timeout)
    const maxResponseBytes = options.maxResponseBytes === undefined
      ? defaultMaxResponseBytes
      : yield* fromResult(checkMaxResponseBytes(options.maxResponseBytes))
    const secretHeaders = yield* fromResult(checkSecretHeaders(options.secretHeaders))
    yield* fromResult(checkAuthHeader(options.authHeaderName, options.authPrefix))
    const authHeaderName = options.authHeaderName ?? "Authorization"
    const warning = options.apiKey === undefined && options.sessionToken === undefined ? undefined : plainHttpWarning(baseUrl)
    if (warning !== undefined && options.warnOnPlainHttp !== false) yield* Effect.logWarning(warning)
    return {
      baseUrl,
      token: resolveToken(options),
      headers,
      authHeaderName,
      authPrefix: options.authPrefix ?? "Bearer",
      followRedirects: options.followRedirects === true,
      secretHeaders,
      maxResponseBytes,
      timeout,
      retry: resolveRetryPolicy(options.retry, options.maxRetries),
      httpClient: options.httpSpans === true
        ? withClientSpans(httpClient, authHeaderName)
        // The SDK's Node client makes no span of its own, and kept as it is the SDK sends through its transport.
        : nodeTransportOf(httpClient) !== undefined
        ? httpClient
        : withoutHttpSpans(httpClient)
    }
  })

/** The span's failure: what went wrong, scrubbed, without the request (whose headers hold the credential). */
class HttpClientFailure extends Data.TaggedError("HttpClientFailure")<{ readonly message: string }> {}

/**
 * `httpClient` with a per-request client span recording what Effect's HTTP client does
 * (method, URL, status, headers as attributes, W3C trace headers sent), but holding no secret:
 * the auth header and key-shaped values are redacted, and the span's exit is `void` or a
 * scrubbed failure, never the response or request. The platform's own span is switched off: its
 * exit is the response, whose request holds the raw headers for any exporter to print.
 */
const withClientSpans = (httpClient: HttpClient.HttpClient, authHeaderName: string): HttpClient.HttpClient => {
  const untraced = withoutHttpSpans(httpClient)
  return makeHttpClientWith(
    (request: Effect.Effect<HttpClientRequest.HttpClientRequest>) =>
      Effect.flatMap(request, (request) => traced(untraced, request, authHeaderName)),
    Effect.succeed
  )
}

const headerAttributes = (
  span: { attribute: (key: string, value: unknown) => void },
  kind: "request" | "response",
  headers: Headers.Headers,
  redactedNames: ReadonlyArray<string | RegExp>
) => {
  const redacted = redactHeaders(headers, redactedNames)
  for (const name in redacted) {
    const value = redacted[name]!
    // A key-shaped value in any header is redacted too: a user header may carry one.
    span.attribute(`http.${kind}.header.${name}`, typeof value === "string" ? scrubMessage(value) ?? "<redacted>" : String(value))
  }
}

const traced = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  authHeaderName: string
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.flatMap(httpSpanPlan(request), (plan) => {
    if (plan === undefined) return client.execute(request)
    const { url } = plan
    const redactedNames = [...plan.redactedNames, authHeaderName]
    return Effect.flatMap(makeClientSpan(plan.name), (span) => {
      span.attribute("http.request.method", request.method)
      span.attribute("server.address", url.origin)
      if (url.port !== "") span.attribute("server.port", +url.port)
      span.attribute("url.full", url.toString())
      span.attribute("url.path", url.pathname)
      span.attribute("url.scheme", url.protocol.slice(0, -1))
      const query = url.search.slice(1)
      if (query !== "") span.attribute("url.query", query)
      headerAttributes(span, "request", request.headers, redactedNames)
      const sent = plan.propagate ? requestSetHeaders(request, traceHeaders(span)) : request
      return client.execute(sent).pipe(
        Effect.withParentSpan(span),
        Effect.onExit((exit) =>
          Effect.clockWith((clock) =>
            Effect.sync(() => {
              if (Exit.isSuccess(exit)) {
                span.attribute("http.response.status_code", exit.value.status)
                headerAttributes(span, "response", exit.value.headers, redactedNames)
              }
              span.end(nowNanos(clock), spanExit(exit, headerSecrets(sent.headers)))
            })
          )
        )
      )
    })
  })

/** What the span ends with: nothing on success, a scrubbed failure otherwise (interruptions as they are). */
const spanExit = (exit: Exit.Exit<unknown, unknown>, secrets: ReadonlyArray<string>): Exit.Exit<void, HttpClientFailure> => {
  if (Exit.isSuccess(exit)) return Exit.void
  if (isInterruptedOnly(exit.cause)) return Exit.failCause(exit.cause as Cause.Cause<never>)
  const error = Cause.squash(exit.cause)
  const tag = typeof error === "object" && error !== null && "_tag" in error ? `${String(error._tag)}: ` : ""
  return Exit.fail(new HttpClientFailure({ message: tag + describeFailure((error as { cause?: unknown }).cause ?? error, secrets) }))
}

/**
 * The Bytekit client service. Provide it with `BytekitClient.layer(...)` over an `HttpClient`
 * layer (on Node, the SDK's own: `layerHttpClient` from `bytekit-effect/node`; elsewhere Effect's
 * `FetchHttpClient.layer`, from `@effect/platform` on 1.x and `effect/http` on 2.x), then run any
 * `Account` operation.
 *
 * @example
 * ```ts
 * import { layerHttpClient } from "bytekit-effect/node"
 * import { Effect, Layer } from "effect"
 * import { Account, BytekitClient } from "bytekit-effect"
 *
 * const BytekitLive = BytekitClient.layer({ apiKey: process.env.BYTEKIT_API_KEY }).pipe(
 *   Layer.provide(layerHttpClient)
 * )
 * Effect.runPromise(Account.listApiKeys().pipe(Effect.provide(BytekitLive)))
 * ```
 * @since 0.1.0
 * @category services
 */
export class BytekitClient extends ServiceKey<BytekitClient, BytekitClientConfig>()("bytekit-effect/BytekitClient") {
  /**
   * Builds the service from options and the `HttpClient` in context.
   *
   * @example
   * ```ts
   * import { layerHttpClient } from "bytekit-effect/node"
   * import { Effect } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const client = BytekitClient.make({ apiKey: "sk_test_..." }).pipe(Effect.provide(layerHttpClient))
   * ```
   * @since 0.1.0
   */
  static make = (options: BytekitClientOptions = {}): Effect.Effect<BytekitClientConfig, InvalidInput, HttpClient.HttpClient> =>
    Effect.flatMap(service(HttpClientService), (httpClient) => makeConfig(options, httpClient))

  /**
   * A layer of the service, over an `HttpClient` layer you provide.
   *
   * @example
   * ```ts
   * import { layerHttpClient } from "bytekit-effect/node"
   * import { Layer, Redacted } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const live = BytekitClient.layer({ apiKey: Redacted.make("sk_live_...") }).pipe(Layer.provide(layerHttpClient))
   * ```
   * @since 0.1.0
   */
  static layer = (options: BytekitClientOptions = {}): Layer.Layer<BytekitClient, InvalidInput, HttpClient.HttpClient> =>
    Layer.effect(BytekitClient, BytekitClient.make(options))

  /**
   * A layer reading `BYTEKIT_API_KEY` and, optionally, `BYTEKIT_BASE_URL` from the `ConfigProvider`;
   * `options` sets everything else. A key that is not set (or empty) and a base URL that is not an
   * http(s) URL fail with `InvalidInput` naming the variable and the fix, never showing the key.
   *
   * @example
   * ```ts
   * import { layerHttpClient } from "bytekit-effect/node"
   * import { Layer } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const live = BytekitClient.layerConfig().pipe(Layer.provide(layerHttpClient))
   * ```
   * @since 0.1.0
   */
  static layerConfig = (
    options: Omit<BytekitClientOptions, "apiKey" | "baseUrl"> = {}
  ): Layer.Layer<BytekitClient, InvalidInput | ConfigError, HttpClient.HttpClient> =>
    Layer.effect(
      BytekitClient,
      Effect.gen(function*() {
        // What to set and how, rather than the config layer's missing-data error (its value redacted).
        const apiKey = yield* Config.option(configRedacted("BYTEKIT_API_KEY"))
        // Set but empty (`export BYTEKIT_API_KEY=`) is not set, as Effect 4's environment provider reads it.
        if (Option.isNone(apiKey) || Redacted.value(apiKey.value) === "") {
          const message = "BYTEKIT_API_KEY is not set: export it, or pass apiKey to BytekitClient.layer"
          return yield* Effect.fail(new InvalidInput({ field: "BYTEKIT_API_KEY", message }))
        }
        const baseUrl = Option.getOrUndefined(yield* Config.option(configString("BYTEKIT_BASE_URL")))
        const problem = baseUrl === undefined ? undefined : baseUrlProblem(baseUrl, "BYTEKIT_BASE_URL")
        if (problem !== undefined) return yield* Effect.fail(new InvalidInput({ field: "BYTEKIT_BASE_URL", message: problem }))
        return yield* BytekitClient.make({ ...options, apiKey: apiKey.value, baseUrl })
      })
    )
}

/**
 * The configuration of the `BytekitClient` in context.
 *
 * @since 0.1.0
 * @category internals
 */
export const clientConfig: Effect.Effect<BytekitClientConfig, never, BytekitClient> = service(BytekitClient)
