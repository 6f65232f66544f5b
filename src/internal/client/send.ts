/**
 * Sends one operation's request: checks input, builds the URL and body from the definition,
 * authenticates, and tries it with a per-attempt timeout and retries. Answers the raw response,
 * whatever its status; reading the status is the caller's job.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { checkId as checkIdText, Problem } from "../../core/checks.js"
import * as Result from "../../core/result.js"
import {
  callback,
  type Codec,
  decoder,
  type DurationInput,
  type FiberLocal,
  fiberLocal,
  getLocal,
  type Headers,
  headersFromInput,
  type HttpClientError,
  type HttpClientRequest,
  type HttpClientResponse,
  type HttpMethod,
  locallyWith,
  makeRequest,
  readHttpClientError,
  requestBodyText,
  requestSetUrlParams,
  parseRequestUrl,
  withRedactedHeaderNames
} from "#line/internal/effect.js"
import type { Operation } from "../../contract/operations.js"
import { InvalidInput, type RedirectRefused, ResponseTooLarge, Timeout, TransportError } from "../../contract/errors.js"
import type { NodeTransport } from "../../core/node-transport.js"
import { nodeTransportOf } from "./nodeKeys.js"
import { truncate } from "../../core/text.js"
import { describeFailure, headerSecrets } from "../../core/scrub.js"
import { type BytekitClient, type BytekitClientConfig, checkHeaders, clientConfig, parseTimeout } from "./BytekitClient.js"
import { retryDelayMillis } from "./retry.js"
import { checkMaxResponseBytes, discard, readBody } from "./body.js"
import { withDeadline } from "./deadline.js"
import { fromResult } from "../fromResult.js"
import { type Hop, hopHeaders, nextHop, opaqueRedirect, secretHeaderNames, withoutTransportRedirects } from "./redirects.js"

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
  readonly timeout?: DurationInput | undefined
  readonly maxRetries?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** The most bytes of a response body read for this call; past it, `ResponseTooLarge`. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The overrides in force for the current fiber, set by `withCallOptions`: a `FiberRef` on 1.x
 * (`FiberRef.get(currentCallOptions)`), a `Context.Reference` on 2.x (`Effect.service(currentCallOptions)`).
 *
 * @example
 * ```ts
 * import { Account, withCallOptions } from "bytekit-effect"
 * const quick = Account.getAccount().pipe(withCallOptions({ timeout: "2 seconds" }))
 * ```
 * @since 0.1.0
 * @category call options
 */
export const currentCallOptions: FiberLocal<CallOptions> = fiberLocal<CallOptions>("bytekit-effect/currentCallOptions", {})

/**
 * Runs an effect with per-call overrides of timeout, retries, headers or the response size cap.
 *
 * @example
 * ```ts
 * import { Account, withCallOptions } from "bytekit-effect"
 * const quick = Account.getAccount().pipe(withCallOptions({ timeout: "2 seconds", maxRetries: 0 }))
 * const small = Account.listApiKeys().pipe(withCallOptions({ maxResponseBytes: 64 * 1024 }))
 * ```
 * @since 0.1.0
 * @category call options
 */
export const withCallOptions = (options: CallOptions) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  locallyWith(self, currentCallOptions, (current) => ({ ...current, ...options }))

/** The path id, percent-encoded, or `InvalidInput` (the core's rule). */
const checkId = (id: unknown): Result.Result<string, InvalidInput> => {
  const checked = checkIdText(id)
  return checked instanceof Problem
    ? Result.fail(new InvalidInput({ field: checked.field, message: checked.message }))
    : Result.succeed(checked)
}

const payloadCodecs = new WeakMap<Operation, (payload: unknown) => Result.Result<string, InvalidInput>>()

/** Validates a body against the operation's payload schema and encodes it to JSON, once per operation. */
const payloadCodec = (operation: Operation) => {
  let codec = payloadCodecs.get(operation)
  if (codec === undefined) {
    const schema = operation.payload as Codec<unknown, unknown>
    const decode = decoder(schema, { exact: true })
    const encode = Schema.encodeSync(schema)
    codec = (payload) => {
      const decoded = decode(payload)
      return decoded.ok
        ? Result.succeed(JSON.stringify(encode(decoded.value)))
        : Result.fail(new InvalidInput({ field: "body", message: truncate(decoded.error) }))
    }
    payloadCodecs.set(operation, codec)
  }
  return codec
}

/**
 * A request as plain data, and its body as text: a redirect rebuilds the body from it (a sent one
 * may be detached). The `HttpClientRequest` is made only for a transport that needs one.
 */
interface Built {
  readonly method: HttpMethod
  /** Without the query. */
  readonly url: string
  readonly urlParams: Readonly<Record<string, string>> | undefined
  /** Lower-case names. */
  readonly headers: Headers.Headers
  readonly body: string | undefined
}

const buildRequest = (
  config: BytekitClientConfig,
  call: Call,
  token: Option.Option<Redacted.Redacted<string>>,
  extraHeaders: Readonly<Record<string, string>> | undefined
): Result.Result<Built, InvalidInput> => {
  let path = call.operation.path
  if (path.includes(":id")) {
    const id = checkId(call.id)
    if (!id.ok) return id
    path = path.replace(":id", id.value)
  }
  const headers: Record<string, string> = { accept: "application/json", ...config.headers, ...extraHeaders }
  if (Option.isSome(token)) {
    headers[config.authHeaderName] = config.authPrefix === ""
      ? Redacted.value(token.value)
      : `${config.authPrefix} ${Redacted.value(token.value)}`
  }
  let body: string | undefined
  if (call.payload !== undefined) {
    const encoded = payloadCodec(call.operation)(call.payload)
    if (!encoded.ok) return encoded
    body = encoded.value
  }
  return Result.succeed({
    method: call.operation.method,
    url: config.baseUrl + path,
    urlParams: call.urlParams,
    headers: headersFromInput(headers),
    body
  })
}

/** The `HttpClientRequest` of a built request, for a transport going through `HttpClient.execute`. */
const httpRequest = (built: Built): HttpClientRequest.HttpClientRequest => {
  let request = makeRequest(built.method)(built.url, { headers: built.headers })
  if (built.urlParams !== undefined) request = requestSetUrlParams(request, built.urlParams)
  return built.body === undefined ? request : requestBodyText(request, built.body, "application/json")
}

/** The full URL of a built request, query included. */
const fullUrl = (built: Built): string => {
  if (built.urlParams === undefined) return built.url
  const query = new URLSearchParams(built.urlParams as Record<string, string>).toString()
  return query === "" ? built.url : `${built.url}?${query}`
}

const unsentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ERR_INVALID_URL"])

/**
 * Whether a transport failure proves the request never left: the connection was never made, or
 * fetch refused the port before connecting (undici's "bad port", e.g. port 1).
 */
const neverSent = (cause: unknown): boolean => {
  for (let current = cause, depth = 0; current != null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string" && unsentCodes.has(code)) return true
    if ((current as { message?: unknown }).message === "bad port") return true
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

const toTransportError = (method: string, url: string) => (error: HttpClientError.HttpClientError): TransportError => {
  const failure = readHttpClientError(error)
  return new TransportError({
    method,
    url,
    // The failed request's own header values (the credential among them) are what must not show.
    message: describe(failure.cause, headerSecrets(failure.requestHeaders)),
    sent: !(failure.invalidUrl || (failure.transport && neverSent(failure.cause)))
  })
}

/** What one attempt reads with: its deadline and size cap. */
interface AttemptOptions {
  readonly timeout: Duration.Duration
  readonly maxResponseBytes: number
}

type AttemptError = TransportError | Timeout | ResponseTooLarge | RedirectRefused

/**
 * One attempt: the request, and the redirects that answer it when the client follows them, all
 * within one deadline; the final body read within the size cap.
 */
const attempt = (
  config: BytekitClientConfig,
  built: Built,
  options: AttemptOptions,
  attempts: number
): Effect.Effect<RawResponse, AttemptError> => {
  const transport = nodeTransportOf(config.httpClient)
  if (transport !== undefined) return nodeAttempt(transport, config, built, options, attempts)
  const request = httpRequest(built)
  const { maxResponseBytes, timeout } = options
  const call = { method: request.method, url: request.url }
  const first = toTransportError(request.method, request.url)
  const answer = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<RawResponse, AttemptError> =>
    readBody(response, maxResponseBytes, request.method, request.url).pipe(
      Effect.mapError((error) => (error._tag === "ResponseTooLarge" ? error : first(error))),
      Effect.map((body) => ({ status: response.status, headers: response.headers, body, attempts }))
    )
  const sent: Effect.Effect<RawResponse, AttemptError> = config.httpClient.execute(request).pipe(
    Effect.mapError(first),
    Effect.flatMap((response) => {
      // A browser's answer to redirect: "manual": there is nothing to read and nowhere to go.
      if (response.status === 0) return Effect.andThen(discard(response), Effect.fail(opaqueRedirect(call)))
      if (config.followRedirects && response.status >= 300 && response.status < 400) {
        return follow(config, built, request, response, answer)
      }
      return answer(response)
    })
  )
  return withDeadline(withoutTransportRedirects(sent), Duration.toMillis(timeout), () =>
    new Timeout({
      method: request.method,
      url: request.url,
      timeoutMillis: Duration.toMillis(timeout),
      message: `no response within ${Duration.format(timeout)}`
    }))
}

/**
 * One attempt over the SDK's Node transport: the request, its redirects and the capped body read
 * in plain callbacks, the deadline a timer that cancels the request in flight (which closes its
 * socket). No fiber is forked, no `HttpClientRequest` or response object is made.
 */
const nodeAttempt = (
  transport: NodeTransport,
  config: BytekitClientConfig,
  built: Built,
  options: AttemptOptions,
  attempts: number
): Effect.Effect<RawResponse, AttemptError> =>
  callback<RawResponse, AttemptError>((resume) => {
    const { maxResponseBytes, timeout } = options
    const call = { method: built.method, url: built.url }
    const millis = Duration.toMillis(timeout)
    let cancel: () => void = () => {}
    let done = false
    const finish = (effect: Effect.Effect<RawResponse, AttemptError>) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resume(effect)
    }
    const failed = (cause: unknown, headers: Headers.Headers, hop: Hop | undefined) => {
      const error = new TransportError({
        method: call.method,
        url: call.url,
        message: describe(cause, headerSecrets(headers)),
        sent: !neverSent(cause)
      })
      finish(Effect.fail(hop === undefined ? error : laterHop(error, hop)))
    }
    const timer = setTimeout(() => {
      cancel()
      finish(Effect.fail(
        new Timeout({ method: call.method, url: call.url, timeoutMillis: millis, message: `no response within ${Duration.format(timeout)}` })
      ))
    }, millis)
    const base = config.followRedirects ? new URL(config.baseUrl) : undefined
    const send = (
      url: string,
      method: string,
      headers: Headers.Headers,
      body: string | undefined,
      current: { readonly url: URL; readonly method: string; readonly crossOrigin: boolean } | undefined,
      hop: Hop | undefined,
      hops: number
    ): void => {
      const request = body === undefined
        ? { method, url, headers }
        : { method, url, headers: { ...headers, "content-type": "application/json" }, body }
      cancel = transport.request(request, (result) => {
        if (result._tag === "Failed") return failed(result.cause, headers, hop)
        const { head } = result
        if (base !== undefined && head.status >= 300 && head.status < 400) {
          const here = current ?? { url: new URL(url), method, crossOrigin: false }
          const next = nextHop({ status: head.status, headers: head.headers as Headers.Headers }, here, base, hops, call)
          if (next !== undefined) {
            head.discard()
            if (!next.ok) return finish(Effect.fail(next.error))
            const secrets = secretHeaderNames(config.authHeaderName, config.secretHeaders)
            const to = next.value
            return send(
              to.url.href,
              to.method,
              hopHeaders(built.headers, to, secrets),
              to.keepBody ? built.body : undefined,
              to,
              to,
              hops + 1
            )
          }
        }
        cancel = head.read(maxResponseBytes, (read) => {
          if (read._tag === "Body") {
            return finish(Effect.succeed({ status: head.status, headers: headersFromInput(head.headers as Record<string, string>), body: read.body, attempts }))
          }
          if (read._tag === "Failed") return failed(read.cause, headers, hop)
          const what = read.declared === undefined ? "passed" : `declares ${read.declared} bytes, over`
          finish(Effect.fail(
            new ResponseTooLarge({
              status: head.status,
              limitBytes: maxResponseBytes,
              method: call.method,
              url: call.url,
              message: `the ${head.status} response body ${what} the ${maxResponseBytes}-byte limit (maxResponseBytes)`
            })
          ))
        })
      })
    }
    send(fullUrl(built), built.method, built.headers, built.body, undefined, undefined, 0)
    return Effect.sync(() => {
      done = true
      clearTimeout(timer)
      cancel()
    })
  })

/** The URL a request goes to, query included. */
const requestUrl = (request: HttpClientRequest.HttpClientRequest): URL => {
  const url = parseRequestUrl(request)
  return url.ok ? url.value : new URL(request.url)
}

/**
 * Follows the redirects answering `response`, hop by hop. Every hop is a fresh request (the body
 * rebuilt from its text); a hop's failure is `sent: true`, since the original request was sent.
 */
const follow = (
  config: BytekitClientConfig,
  built: Built,
  request: HttpClientRequest.HttpClientRequest,
  response: HttpClientResponse.HttpClientResponse,
  answer: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<RawResponse, AttemptError>
): Effect.Effect<RawResponse, AttemptError> => {
  const call = { method: request.method, url: request.url }
  const base = new URL(config.baseUrl)
  const secrets = secretHeaderNames(config.authHeaderName, config.secretHeaders)
  const loop = (
    response: HttpClientResponse.HttpClientResponse,
    current: { readonly url: URL; readonly method: string; readonly crossOrigin: boolean },
    hops: number
  ): Effect.Effect<RawResponse, AttemptError> => {
    const hop = nextHop(response, current, base, hops, call)
    if (hop === undefined) return answer(response)
    if (!hop.ok) return Effect.andThen(discard(response), Effect.fail(hop.error))
    const next = hopRequest(request, built.body, hop.value, secrets)
    return discard(response).pipe(
      Effect.andThen(config.httpClient.execute(next)),
      Effect.mapError((error) => laterHop(toTransportError(request.method, request.url)(error), hop.value)),
      Effect.flatMap((response) => {
        if (response.status === 0) return Effect.andThen(discard(response), Effect.fail(opaqueRedirect(call)))
        return loop(response, hop.value, hops + 1)
      })
    )
  }
  return loop(response, { url: requestUrl(request), method: request.method, crossOrigin: false }, 0)
}

/** A hop's request: the original's headers (less what must not go), its body again when kept. */
const hopRequest = (
  original: HttpClientRequest.HttpClientRequest,
  body: string | undefined,
  hop: Hop,
  secrets: ReadonlyArray<string>
): HttpClientRequest.HttpClientRequest => {
  const request = makeRequest(hop.method as HttpMethod)(hop.url.href, {
    headers: hopHeaders(original.headers, hop, secrets)
  })
  return hop.keepBody && body !== undefined ? requestBodyText(request, body, "application/json") : request
}

/** A failure after a redirect: the original request was sent, whatever became of the hop. */
const laterHop = (error: TransportError, hop: Hop): TransportError =>
  new TransportError({
    method: error.method,
    url: error.url,
    message: truncate(`after a redirect to ${hop.url.origin}${hop.url.pathname}: ${error.message}`),
    sent: true
  })

/**
 * Sends a call through the `BytekitClient` in context, retrying as its policy says. Create and
 * reveal (POST) are retried only when the request provably never reached the server.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = (call: Call): Effect.Effect<RawResponse, SendError, BytekitClient> =>
  Effect.flatMap(clientConfig, (config) =>
    Effect.flatMap(getLocal(currentCallOptions), (options) => {
      if (options.timeout !== undefined || options.headers !== undefined || options.maxResponseBytes !== undefined) {
        // Per-call overrides are checked as the client's own options are.
        return Effect.andThen(
          options.headers === undefined ? Effect.void : checkHeaders(options.headers),
          Effect.flatMap(options.timeout === undefined ? Effect.succeed(config.timeout) : parseTimeout(options.timeout), (timeout) =>
            Effect.flatMap(
              options.maxResponseBytes === undefined
                ? Effect.succeed(config.maxResponseBytes)
                : fromResult(checkMaxResponseBytes(options.maxResponseBytes)),
              (maxResponseBytes) => sendWith(config, call, { ...options, timeout, maxResponseBytes })
            ))
        )
      }
      return sendWith(config, call, { ...options, timeout: config.timeout, maxResponseBytes: config.maxResponseBytes })
    }))

/**
 * What sending can fail with.
 *
 * @since 0.1.0
 * @category sending
 */
export type SendError = TransportError | Timeout | InvalidInput | ResponseTooLarge | RedirectRefused

/** The attempts of one call, with its overrides resolved. */
const sendWith = (
  config: BytekitClientConfig,
  call: Call,
  options: CallOptions & AttemptOptions
): Effect.Effect<RawResponse, SendError> => {
  const maxRetries = options.maxRetries ?? config.retry.maxRetries
  const idempotent = call.operation.method !== "POST"
  const loop = (retry: number): Effect.Effect<RawResponse, SendError> =>
    Effect.flatMap(config.token, (token) => {
      const request = buildRequest(config, call, token, options.headers)
      if (!request.ok) return Effect.fail(request.error)
      const again = (headers?: Headers.Headers) =>
        Effect.andThen(Effect.sleep(retryDelayMillis(config.retry, retry, headers)), loop(retry + 1))
      return attempt(config, request.value, options, retry + 1).pipe(
        Effect.flatMap((response) =>
          retry < maxRetries && idempotent && config.retry.retryStatuses.includes(response.status)
            ? again(response.headers)
            : Effect.succeed(response)
        ),
        // An oversized body or a refused redirect would be the same again: only the network is retried.
        Effect.catchIf(
          (error) =>
            retry < maxRetries && (error._tag === "TransportError" || error._tag === "Timeout") &&
            (idempotent || (error._tag === "TransportError" && !error.sent)),
          () => again()
        )
      )
    })
  // Spans record request headers: a custom auth header and the secret headers are redacted there too.
  return config.authHeaderName.toLowerCase() === "authorization" && config.secretHeaders.length === 0
    ? loop(0)
    : withRedactedHeaderNames(loop(0), [config.authHeaderName, ...config.secretHeaders])
}
