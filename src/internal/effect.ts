/**
 * What Effect 3 spells differently from Effect 4, for the 1.x line: the module the shared sources
 * reach Effect 3's and `@effect/platform`'s runtime names through (as `#line/internal/effect.js`;
 * the other twins are the models' schema blocks, the HttpApi and the Node response).
 * packages/effect4/src/internal/effect.ts exports the same names for Effect 4.
 *
 * @internal
 */
import * as HeadersModule from "@effect/platform/Headers"
import * as HttpClientModule from "@effect/platform/HttpClient"
import * as HttpClientErrorModule from "@effect/platform/HttpClientError"
import type * as HttpClientRequestModule from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponseModule from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigErrorModule from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import * as Result from "../core/result.js"

// Namespaces for types only; values the shared sources call are re-exported
// by name below, so a bundle keeps only those (a namespace handed on would keep its whole module).
export type * as Headers from "@effect/platform/Headers"
export type * as HttpClient from "@effect/platform/HttpClient"
export type * as HttpClientError from "@effect/platform/HttpClientError"
export type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
export type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
export type { HttpMethod } from "@effect/platform/HttpMethod"
export { Fetch as FetchFunction, layer as fetchLayer, RequestInit as FetchRequestInit } from "@effect/platform/FetchHttpClient"
export { fromInput as headersFromInput, redact as redactHeaders } from "@effect/platform/Headers"
export {
  HttpClient as HttpClientService,
  make as makeHttpClient,
  makeWith as makeHttpClientWith
} from "@effect/platform/HttpClient"
export {
  bodyText as requestBodyText,
  make as makeRequest,
  setHeaders as requestSetHeaders,
  setUrlParams as requestSetUrlParams
} from "@effect/platform/HttpClientRequest"
export { fromWeb as responseFromWeb } from "@effect/platform/HttpClientResponse"
export { toHeaders as traceHeaders } from "@effect/platform/HttpTraceContext"

/** A duration as given: a `Duration`, a number of milliseconds or a string such as `"5 seconds"`. */
export type DurationInput = Duration.DurationInput

/** A duration read from anything, or undefined when it is not one. */
export const decodeDuration = (input: unknown): Duration.Duration | undefined => {
  const decoded = Duration.decodeUnknown(input)
  return decoded._tag === "Some" ? decoded.value : undefined
}

/** A schema that decodes `I` to `A`. */
export type Codec<A, I = A> = Schema.Schema<A, I>

/** `"true"`/`"false"` as a boolean. */
export const BooleanFromString = Schema.BooleanFromString

/**
 * A decoder for `schema` answering a plain result; a failure is the issue as text. With
 * `exact`, a property the schema does not know fails.
 */
export const decoder = <A, I>(
  schema: Codec<A, I>,
  options?: { readonly exact?: boolean }
): (input: unknown) => Result.Result<A, string> => {
  const decode = Schema.decodeUnknownEither(schema, options?.exact ? { onExcessProperty: "error" } : undefined)
  return (input) => {
    const decoded = decode(input)
    return Either.isRight(decoded)
      ? Result.succeed(decoded.right)
      : Result.fail(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
  }
}

/** An effect resumed from a callback; the callback may answer a finaliser run on interruption. */
export const callback: <A, E = never, R = never>(
  register: (resume: (effect: Effect.Effect<A, E, R>) => void) => void | Effect.Effect<void, never, R>
) => Effect.Effect<A, E, R> = Effect.async

/** The first typed failure of a cause, if it has one. */
export const failureOf = <E>(cause: Cause.Cause<E>): E | undefined => {
  const failure = Cause.failureOption(cause)
  return failure._tag === "Some" ? failure.value : undefined
}

/** Whether a cause holds nothing but interruptions. */
export const isInterruptedOnly: (cause: Cause.Cause<unknown>) => boolean = Cause.isInterruptedOnly

/** Effect's own tracer, the one in force when the program installed none. */
let nativeTracer: Tracer.Tracer | undefined

/**
 * `effect` inside a client span named `name` when a tracer is installed: under Effect's own tracer
 * nobody exports spans, and making one costs a fifth of a call. No stack capture: it costs more
 * per call than the rest of the SDK together.
 */
export const withClientSpan = <A, E, R>(effect: Effect.Effect<A, E, R>, name: string): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) => {
    nativeTracer ??= Effect.runSync(Effect.tracer)
    return tracer === nativeTracer ? effect : Effect.withSpan(effect, name, { kind: "client", captureStackTrace: false })
  })

/** A value each fiber reads, with a default, set for a region of a program (a `FiberRef`). */
export type FiberLocal<A> = FiberRef.FiberRef<A>

/** A fiber-local value with its default; `key` names it where Effect needs a name (Effect 4). */
export const fiberLocal = <A>(_key: string, initial: A): FiberLocal<A> => FiberRef.unsafeMake(initial)

/** The fiber's current value. */
export const getLocal: <A>(local: FiberLocal<A>) => Effect.Effect<A> = FiberRef.get

/** `self` with the value set to `value`. */
export const locally = <X, E, R, A>(self: Effect.Effect<X, E, R>, local: FiberLocal<A>, value: A): Effect.Effect<X, E, R> =>
  Effect.locally(self, local, value)

/** `self` with the value changed by `f`. */
export const locallyWith = <X, E, R, A>(self: Effect.Effect<X, E, R>, local: FiberLocal<A>, f: (current: A) => A): Effect.Effect<X, E, R> =>
  Effect.locallyWith(self, local, f)

/** Exponential backoff from `initialMillis`, jittered, each delay capped at `maxMillis`, `retries` times. */
export const backoffSchedule = (initialMillis: number, maxMillis: number, retries: number) =>
  Schedule.exponential(Duration.millis(initialMillis)).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((delay) => Duration.min(delay, Duration.millis(maxMillis))),
    Schedule.intersect(Schedule.recurs(retries))
  )

/** `headers` without the named ones (lower-case names). */
export const removeHeaders = (headers: HeadersModule.Headers, names: Iterable<string>): HeadersModule.Headers =>
  HeadersModule.remove(headers, [...names])

/** `self` run with its context changed by `f`. */
export const updateContext = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  f: <R2>(context: Context.Context<R2>) => Context.Context<R2>
): Effect.Effect<A, E, R> => Effect.locallyWith(self, FiberRef.currentContext, f)

/**
 * What a failed HTTP client call says: its cause, the request's headers (to redact), whether the
 * transport failed (as opposed to encoding the request), and whether the URL could not be parsed.
 */
export const readHttpClientError = (error: HttpClientErrorModule.HttpClientError): {
  readonly cause: unknown
  readonly requestHeaders: HeadersModule.Headers | undefined
  readonly transport: boolean
  readonly invalidUrl: boolean
} => ({
  cause: error.cause ?? error,
  requestHeaders: error.request?.headers,
  transport: error._tag === "RequestError" && error.reason === "Transport",
  invalidUrl: error._tag === "RequestError" && error.reason === "InvalidUrl"
})

/** The URL a request goes to, query included, or why it is not one. */
export const parseRequestUrl = (request: HttpClientRequestModule.HttpClientRequest): Result.Result<URL, unknown> => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  return Either.isRight(url) ? Result.succeed(url.right) : Result.fail(url.left)
}

/** Effect's HTTP client failure for a URL that does not parse. */
export const invalidUrlFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.RequestError({ request, reason: "InvalidUrl", cause })

/** Effect's HTTP client failure for a body it cannot send. */
export const encodeFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.RequestError({ request, reason: "Encode", cause })

/** `self` with more header names redacted wherever Effect records headers (its HTTP spans). */
export const withRedactedHeaderNames = <A, E, R>(self: Effect.Effect<A, E, R>, names: ReadonlyArray<string>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(self, HeadersModule.currentRedactedNames, (current) => [...current, ...names])

/** Runs `self` in a child fiber of the current one. */
export const forkChild = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<Fiber.RuntimeFiber<A, E>> => Effect.fork(self)

/** Interrupts a fiber from outside any fiber (a timer's callback), without waiting for it. */
export const interruptFromTimer = (fiber: Fiber.RuntimeFiber<unknown, unknown>): void => fiber.unsafeInterruptAsFork(fiber.id())

/** Whether an exit was interrupted. */
export const isInterruptedExit: (exit: Exit.Exit<unknown, unknown>) => boolean = Exit.isInterrupted

/** How reading a response body fails in Effect's HTTP client. */
export type ResponseReadError = HttpClientErrorModule.ResponseError

/** A body that could not be read, as Effect's HTTP client reports it. */
export const bodyReadFailure = (response: HttpClientResponseModule.HttpClientResponse, cause: unknown): ResponseReadError =>
  new HttpClientErrorModule.ResponseError({ request: response.request, response, reason: "Decode", cause })

/** Whether a body read failed because there is no body at all (204, 304, HEAD). */
export const isEmptyBody = (error: ResponseReadError): boolean => error.reason === "EmptyBody"

/**
 * The web `Response` behind a fetch-based response, if it is one: `@effect/platform`'s fetch client
 * keeps it as `source` (inside `original` when it wraps the response for interruption).
 */
export const webSource = (response: HttpClientResponseModule.HttpClientResponse): unknown => {
  const inner = (response as { readonly original?: unknown }).original ?? response
  return (inner as { readonly source?: unknown }).source
}

/** Runs `f` on each batch of a stream's elements, in order. */
export const runForEachBatch = <A, E, R, E2, R2>(
  stream: Stream.Stream<A, E, R>,
  f: (batch: Iterable<A>) => Effect.Effect<void, E2, R2>
): Effect.Effect<void, E | E2, R | R2> => Stream.runForEachChunk(stream, f)

/** The SDK's version, sent in its `User-Agent`. */
export const sdkVersion = "0.1.0"

/**
 * The base class of a service key: `class Foo extends ServiceKey<Foo, Shape>()("id") {}` (a
 * `Context.Tag`).
 */
export const ServiceKey = <Self, Shape>() => <const Id extends string>(id: Id) => Context.Tag(id)<Self, Shape>()

/** The service of a key, from the context. */
export const service = <I, S>(key: Context.Tag<I, S>): Effect.Effect<S, never, I> => key

/** `self` with every failure cause (interruptions and defects too) handled by `f`. */
export const catchCause = <A, E, R, A2, E2, R2>(
  self: Effect.Effect<A, E, R>,
  f: (cause: Cause.Cause<E>) => Effect.Effect<A2, E2, R2>
): Effect.Effect<A | A2, E2, R | R2> => Effect.catchAllCause(self, f)

/** What reading configuration fails with. */
export type ConfigError = ConfigErrorModule.ConfigError

/** A secret string of the configuration, by name. */
export const configRedacted = (name: string): Config.Config<Redacted.Redacted<string>> => Config.redacted(name)

/** A string of the configuration, by name. */
export const configString = (name: string): Config.Config<string> => Config.string(name)

/** `httpClient` with Effect's own HTTP span switched off. */
export const withoutHttpSpans = (httpClient: HttpClientModule.HttpClient): HttpClientModule.HttpClient =>
  HttpClientModule.withTracerDisabledWhen(httpClient, () => true)

/**
 * How Effect's HTTP client would trace `request` in the current fiber: its span name, URL, the
 * header names it redacts and whether it propagates the trace; undefined when it would not trace it.
 */
export const httpSpanPlan = (request: HttpClientRequestModule.HttpClientRequest): Effect.Effect<
  | { readonly name: string; readonly url: URL; readonly redactedNames: ReadonlyArray<string | RegExp>; readonly propagate: boolean }
  | undefined
> =>
  Effect.withFiberRuntime((fiber) => {
    const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    if (
      Either.isLeft(url) || !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
      fiber.getFiberRef(HttpClientModule.currentTracerDisabledWhen)(request)
    ) {
      return Effect.succeed(undefined)
    }
    return Effect.succeed({
      name: Context.get(fiber.currentContext, HttpClientModule.SpanNameGenerator)(request),
      url: url.right,
      redactedNames: fiber.getFiberRef(HeadersModule.currentRedactedNames),
      propagate: fiber.getFiberRef(HttpClientModule.currentTracerPropagation)
    })
  })

/** A client span, without a captured stack (it costs more per call than the rest of the SDK). */
export const makeClientSpan = (name: string): Effect.Effect<Tracer.Span> =>
  Effect.makeSpan(name, { kind: "client", captureStackTrace: false })

/** The clock's time in nanoseconds. */
export const nowNanos = (clock: Clock.Clock): bigint => clock.unsafeCurrentTimeNanos()

/** A layer of one service from an effect that may acquire resources, released with the layer. */
export const scopedLayer = <I, S, E, R>(key: Context.Tag<I, S>, effect: Effect.Effect<S, E, R>): Layer.Layer<I, E, Exclude<R, Scope.Scope>> =>
  Layer.scoped(key, effect)

/** The layer an effect builds. */
export const unwrapLayer = <A, E1, R1, E, R>(effect: Effect.Effect<Layer.Layer<A, E1, R1>, E, R>): Layer.Layer<A, E | E1, R | R1> =>
  Layer.unwrapEffect(effect)

/** A transport failure of Effect's HTTP client for `request`. */
export const transportFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.RequestError({ request, reason: "Transport", cause })
