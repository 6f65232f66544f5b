/**
 * Sends one operation's request: checks input, builds the URL and body from the definition,
 * authenticates, and tries it with a per-attempt timeout and retries. Answers the raw response,
 * whatever its status; reading the status is the caller's job.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Operation } from "../contract/operations.js"
import { InvalidInput, Timeout, TransportError } from "../contract/errors.js"
import { truncate } from "./text.js"
import { describeFailure, headerSecrets } from "./scrub.js"
import { BytekitClient, type BytekitClientConfig, checkHeaders, parseTimeout } from "./BytekitClient.js"
import { retryDelayMillis } from "./retry.js"

/**
 * A response as it came off the wire.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
  /** How many attempts it took (1 when the first one answered). */
  readonly attempts: number
}

/**
 * What one call sends: the operation, and its path id, query and body in wire names.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  readonly operation: Operation
  readonly id?: unknown
  readonly urlParams?: Readonly<Record<string, string>> | undefined
  readonly payload?: unknown
}

/**
 * Per-call overrides of the client's options.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRetries?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * The overrides in force for the current fiber; see `withCallOptions`.
 *
 * @example
 * ```ts
 * import { Effect, FiberRef } from "effect"
 * import { currentCallOptions } from "bytekit-effect"
 * const timeout = Effect.map(FiberRef.get(currentCallOptions), (options) => options.timeout)
 * ```
 * @since 0.1.0
 * @category call options
 */
export const currentCallOptions: FiberRef.FiberRef<CallOptions> = FiberRef.unsafeMake<CallOptions>({})

/**
 * Runs an effect with per-call overrides of timeout, retries or headers.
 *
 * @example
 * ```ts
 * import { Account, withCallOptions } from "bytekit-effect"
 * const quick = Account.getAccount().pipe(withCallOptions({ timeout: "2 seconds", maxRetries: 0 }))
 * ```
 * @since 0.1.0
 * @category call options
 */
export const withCallOptions = (options: CallOptions) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(self, currentCallOptions, (current) => ({ ...current, ...options }))

const checkId = (id: unknown): Either.Either<string, InvalidInput> => {
  if (typeof id !== "string" || id.length === 0) {
    return Either.left(new InvalidInput({ field: "id", message: "id must be a non-empty string" }))
  }
  // "." and ".." are dot segments that URL parsers collapse, whatever their encoding.
  if (id === "." || id === "..") {
    return Either.left(new InvalidInput({ field: "id", message: "id must not be a dot segment" }))
  }
  // A lone surrogate has no UTF-8 form: encodeURIComponent would throw a URIError.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(id)) {
    return Either.left(new InvalidInput({ field: "id", message: "id contains a lone UTF-16 surrogate" }))
  }
  return Either.right(encodeURIComponent(id))
}

const payloadCodecs = new WeakMap<Operation, (payload: unknown) => Either.Either<string, InvalidInput>>()

/** Validates a body against the operation's payload schema and encodes it to JSON, once per operation. */
const payloadCodec = (operation: Operation) => {
  let codec = payloadCodecs.get(operation)
  if (codec === undefined) {
    const schema = operation.payload as Schema.Schema<unknown, unknown>
    const decode = Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })
    const encode = Schema.encodeSync(schema)
    codec = (payload) =>
      Either.match(decode(payload), {
        onLeft: (error) =>
          Either.left(new InvalidInput({ field: "body", message: truncate(ParseResult.TreeFormatter.formatErrorSync(error)) })),
        onRight: (value) => Either.right(JSON.stringify(encode(value)))
      })
    payloadCodecs.set(operation, codec)
  }
  return codec
}

const buildRequest = (
  config: BytekitClientConfig,
  call: Call,
  token: Option.Option<Redacted.Redacted<string>>,
  extraHeaders: Readonly<Record<string, string>> | undefined
): Either.Either<HttpClientRequest.HttpClientRequest, InvalidInput> => {
  let path = call.operation.path
  if (path.includes(":id")) {
    const id = checkId(call.id)
    if (Either.isLeft(id)) return Either.left(id.left)
    path = path.replace(":id", id.right)
  }
  const headers: Record<string, string> = { accept: "application/json", ...config.headers, ...extraHeaders }
  if (Option.isSome(token)) {
    headers[config.authHeaderName] = config.authPrefix === ""
      ? Redacted.value(token.value)
      : `${config.authPrefix} ${Redacted.value(token.value)}`
  }
  let request = HttpClientRequest.make(call.operation.method)(config.baseUrl + path, { headers })
  if (call.urlParams !== undefined) request = HttpClientRequest.setUrlParams(request, call.urlParams)
  if (call.payload !== undefined) {
    const body = payloadCodec(call.operation)(call.payload)
    if (Either.isLeft(body)) return Either.left(body.left)
    request = HttpClientRequest.bodyText(request, body.right, "application/json")
  }
  return Either.right(request)
}

const unsentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ERR_INVALID_URL"])

/** Whether a transport failure proves the request never left: the connection was never made. */
const neverSent = (cause: unknown): boolean => {
  for (let current = cause, depth = 0; current != null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string" && unsentCodes.has(code)) return true
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0 && errors.every(neverSent)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/**
 * A transport failure as a message that never quotes a header: HTTP clients quote the refused
 * value (`Bearer sk_…`), so every value in `secrets` and every key-shaped string is redacted, and a
 * part quoting a header is dropped whole.
 */
const describe = (cause: unknown, secrets: ReadonlyArray<string> = []): string => describeFailure(cause, secrets)

const toTransportError = (method: string, url: string) => (error: HttpClientError.HttpClientError): TransportError =>
  new TransportError({
    method,
    url,
    // The failed request's own header values (the credential among them) are what must not show.
    message: describe(error.cause ?? error, headerSecrets(error.request?.headers)),
    sent: !(error._tag === "RequestError" && error.reason !== "Encode" && neverSent(error.cause))
  })

const attempt = (
  config: BytekitClientConfig,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration,
  attempts: number
): Effect.Effect<RawResponse, TransportError | Timeout> =>
  config.httpClient.execute(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.arrayBuffer, (buffer) => ({
        status: response.status,
        headers: response.headers,
        body: new Uint8Array(buffer),
        attempts
      }))
    ),
    Effect.mapError(toTransportError(request.method, request.url)),
    (effect) =>
      withDeadline(effect, Duration.toMillis(timeout), () =>
        new Timeout({
          method: request.method,
          url: request.url,
          timeoutMillis: Duration.toMillis(timeout),
          message: `no response within ${Duration.format(timeout)}`
        }))
  )

/**
 * Fails with `onTimeout` when `self` runs longer than `millis`, interrupting it (which aborts the
 * request). One child fiber and a plain timer: `Effect.timeout`'s sleeping fiber and race cost
 * more per call than the rest of the SDK together.
 */
const withDeadline = <A, E>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => Timeout
): Effect.Effect<A, E | Timeout> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.fork(restore(self)), (fiber) => {
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        fiber.unsafeInterruptAsFork(fiber.id())
      }, millis)
      return restore(Fiber.await(fiber)).pipe(
        Effect.onInterrupt(() => Fiber.interrupt(fiber)),
        Effect.ensuring(Effect.sync(() => clearTimeout(timer))),
        Effect.flatMap((exit): Effect.Effect<A, E | Timeout> =>
          timedOut && Exit.isInterrupted(exit) ? Effect.fail(onTimeout()) : exit
        )
      )
    })
  )

/**
 * Sends a call through the `BytekitClient` in context, retrying as its policy says. Create and
 * reveal (POST) are retried only when the request provably never reached the server.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = (call: Call): Effect.Effect<RawResponse, TransportError | Timeout | InvalidInput, BytekitClient> =>
  Effect.flatMap(BytekitClient, (config) =>
    Effect.flatMap(FiberRef.get(currentCallOptions), (options) => {
      if (options.timeout !== undefined || options.headers !== undefined) {
        // Per-call overrides are checked as the client's own options are.
        return Effect.zipRight(
          options.headers === undefined ? Effect.void : checkHeaders(options.headers),
          Effect.flatMap(options.timeout === undefined ? Effect.succeed(config.timeout) : parseTimeout(options.timeout), (timeout) =>
            sendWith(config, call, { ...options, timeout }))
        )
      }
      return sendWith(config, call, { ...options, timeout: config.timeout })
    }))

/** The attempts of one call, with its overrides resolved. */
const sendWith = (
  config: BytekitClientConfig,
  call: Call,
  options: CallOptions & { readonly timeout: Duration.Duration }
): Effect.Effect<RawResponse, TransportError | Timeout | InvalidInput> => {
  const { timeout } = options
  const maxRetries = options.maxRetries ?? config.retry.maxRetries
  const idempotent = call.operation.method !== "POST"
  const loop = (retry: number): Effect.Effect<RawResponse, TransportError | Timeout | InvalidInput> =>
    Effect.flatMap(config.token, (token) => {
      const request = buildRequest(config, call, token, options.headers)
      if (Either.isLeft(request)) return Effect.fail(request.left)
      const again = (headers?: Headers.Headers) =>
        Effect.zipRight(Effect.sleep(retryDelayMillis(config.retry, retry, headers)), loop(retry + 1))
      return attempt(config, request.right, timeout, retry + 1).pipe(
        Effect.flatMap((response) =>
          retry < maxRetries && idempotent && config.retry.retryStatuses.includes(response.status)
            ? again(response.headers)
            : Effect.succeed(response)
        ),
        Effect.catchIf(
          (error) => retry < maxRetries && (idempotent || (error._tag === "TransportError" && !error.sent)),
          () => again()
        )
      )
    })
  // Spans record request headers: a custom auth header must be redacted there too.
  return config.authHeaderName.toLowerCase() === "authorization"
    ? loop(0)
    : Effect.locallyWith(loop(0), Headers.currentRedactedNames, (names) => [...names, config.authHeaderName])
}
