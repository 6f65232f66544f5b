/**
 * The `BytekitClient` service: where requests go, how they are authenticated, and how long and
 * how often they are tried. Built from an `HttpClient` (fetch, undici, or the in-memory emulator).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "../contract/errors.js"
import type { RetryPolicy } from "./retry.js"
import { defaultRetryPolicy } from "./retry.js"

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
  /** The header that carries the credential. Default `Authorization`. */
  readonly authHeaderName?: string | undefined
  /** What precedes the credential in that header. Default `Bearer`; `""` sends the token alone. */
  readonly authPrefix?: string | undefined
  /** Per-attempt timeout. Default 60 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries after the first attempt. Default 2. */
  readonly maxRetries?: number | undefined
  /** Backoff and which failures to retry; see `RetryPolicy`. */
  readonly retry?: Partial<RetryPolicy> | undefined
  /**
   * Also trace each HTTP attempt in `@effect/platform`'s client span (request and response headers
   * as attributes, W3C trace headers sent to Bytekit). Default false: each operation's own span
   * covers the call, and the per-request span costs as much as the rest of the SDK.
   */
  readonly httpSpans?: boolean | undefined
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
}

/** The SDK's version, sent in the default User-Agent. */
const sdkVersion = "0.1.0"

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

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/

/**
 * Checks a token before it goes into a header: CR, LF or any control character would split or
 * corrupt the request, so it is refused without echoing the token.
 */
const checkToken = (token: Redacted.Redacted<string>, field: string): Either.Either<Option.Option<Redacted.Redacted<string>>, InvalidInput> =>
  Redacted.value(token).length === 0
    ? Either.left(new InvalidInput({ field, message: `${field} is empty` }))
    : controlCharacters.test(Redacted.value(token))
    ? Either.left(new InvalidInput({ field, message: `${field} contains a control character (CR, LF or similar)` }))
    : Either.right(Option.some(token))

const toRedacted = (secret: Secret): Redacted.Redacted<string> =>
  Redacted.isRedacted(secret) ? secret : Redacted.make(secret)

const resolveToken = (options: BytekitClientOptions): BytekitClientConfig["token"] => {
  const source = options.sessionToken
  if (source !== undefined) {
    const fetched: Effect.Effect<Secret, InvalidInput> = (Effect.isEffect(source)
      ? source
      : Effect.suspend(() => {
        const result = source()
        return typeof result === "object" && result !== null && "then" in result && !Redacted.isRedacted(result)
          ? Effect.tryPromise(() => Promise.resolve(result))
          : Effect.succeed(result as Secret)
      })).pipe(
        Effect.mapError(() => new InvalidInput({ field: "sessionToken", message: "the session token source failed" }))
      )
    return Effect.flatMap(fetched, (secret) => {
      if (typeof secret !== "string" && !Redacted.isRedacted(secret)) {
        return Effect.fail(new InvalidInput({ field: "sessionToken", message: "the session token is not a string" }))
      }
      return checkToken(toRedacted(secret), "sessionToken")
    })
  }
  if (options.apiKey !== undefined) {
    // A fixed key is checked once, not on every request.
    const checked = checkToken(toRedacted(options.apiKey), "apiKey")
    return Either.isRight(checked) ? Effect.succeed(checked.right) : Effect.fail(checked.left)
  }
  return Effect.succeed(Option.none())
}

/** Checks a base URL: http or https, no credentials in it; the trailing slash is dropped. */
const parseBaseUrl = (baseUrl: string | undefined): Effect.Effect<string, InvalidInput> => {
  const raw = baseUrl ?? defaultBaseUrl
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: "baseUrl is not a valid URL" }))
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: `baseUrl must be http(s), not ${url.protocol}` }))
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(new InvalidInput({ field: "baseUrl", message: "baseUrl must not carry credentials" }))
  }
  return Effect.succeed(url.href.replace(/\/+$/, ""))
}

/** Refuses header names or values that are not strings or carry control characters (CR, LF…). */
export const checkHeaders = (headers: Readonly<Record<string, string>>): Effect.Effect<void, InvalidInput> => {
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string" || controlCharacters.test(value) || controlCharacters.test(name)) {
      return Effect.fail(new InvalidInput({ field: "headers", message: `header ${JSON.stringify(name)} is not a clean string` }))
    }
  }
  return Effect.void
}

/** A timeout as a Duration, or `InvalidInput` for what is not one. */
export const parseTimeout = (timeout: Duration.DurationInput): Effect.Effect<Duration.Duration, InvalidInput> =>
  Option.match(Duration.decodeUnknown(timeout), {
    onNone: () => Effect.fail(new InvalidInput({ field: "timeout", message: "timeout is not a duration" })),
    onSome: Effect.succeed
  })

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
    return {
      baseUrl,
      token: resolveToken(options),
      headers,
      authHeaderName: options.authHeaderName ?? "Authorization",
      authPrefix: options.authPrefix ?? "Bearer",
      timeout,
      retry: {
        ...defaultRetryPolicy,
        ...options.retry,
        ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries })
      },
      httpClient: options.httpSpans === true ? httpClient : HttpClient.withTracerDisabledWhen(httpClient, () => true)
    }
  })

/**
 * The Bytekit client service. Provide it with `BytekitClient.layer(...)` over an `HttpClient`
 * layer, then run any `Account` operation.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { Account, BytekitClient } from "bytekit-effect"
 *
 * const BytekitLive = BytekitClient.layer({ apiKey: process.env.BYTEKIT_API_KEY }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * Effect.runPromise(Account.listApiKeys().pipe(Effect.provide(BytekitLive)))
 * ```
 * @since 0.1.0
 * @category services
 */
export class BytekitClient extends Context.Tag("bytekit-effect/BytekitClient")<BytekitClient, BytekitClientConfig>() {
  /**
   * Builds the service from options and the `HttpClient` in context.
   *
   * @example
   * ```ts
   * import { FetchHttpClient } from "@effect/platform"
   * import { Effect } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const client = BytekitClient.make({ apiKey: "sk_test_..." }).pipe(Effect.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static make = (options: BytekitClientOptions = {}): Effect.Effect<BytekitClientConfig, InvalidInput, HttpClient.HttpClient> =>
    Effect.flatMap(HttpClient.HttpClient, (httpClient) => makeConfig(options, httpClient))

  /**
   * A layer of the service, over an `HttpClient` layer you provide.
   *
   * @example
   * ```ts
   * import { FetchHttpClient } from "@effect/platform"
   * import { Layer, Redacted } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const live = BytekitClient.layer({ apiKey: Redacted.make("sk_live_...") }).pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static layer = (options: BytekitClientOptions = {}): Layer.Layer<BytekitClient, InvalidInput, HttpClient.HttpClient> =>
    Layer.effect(BytekitClient, BytekitClient.make(options))

  /**
   * A layer reading `BYTEKIT_API_KEY` and, optionally, `BYTEKIT_BASE_URL` from the `ConfigProvider`;
   * `options` sets everything else.
   *
   * @example
   * ```ts
   * import { FetchHttpClient } from "@effect/platform"
   * import { Layer } from "effect"
   * import { BytekitClient } from "bytekit-effect"
   * const live = BytekitClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static layerConfig = (
    options: Omit<BytekitClientOptions, "apiKey" | "baseUrl"> = {}
  ): Layer.Layer<BytekitClient, InvalidInput | ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(
      BytekitClient,
      Effect.gen(function*() {
        const apiKey = yield* Config.redacted("BYTEKIT_API_KEY")
        const baseUrl = yield* Config.option(Config.string("BYTEKIT_BASE_URL"))
        return yield* BytekitClient.make({ ...options, apiKey, baseUrl: Option.getOrUndefined(baseUrl) })
      })
    )
}
