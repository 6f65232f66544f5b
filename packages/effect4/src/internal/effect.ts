/**
 * What Effect 4 spells differently from Effect 3, for the 2.x line: the module the shared sources
 * reach Effect 4's runtime names through (as `#line/internal/effect.js`; the other twins are the
 * models' schema blocks, the HttpApi and the Node response). src/internal/effect.ts, its 1.x twin,
 * exports the same names for Effect 3 and `@effect/platform`.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as HeadersModule from "effect/http/Headers"
import * as HttpClientModule from "effect/http/HttpClient"
import * as HttpClientErrorModule from "effect/http/HttpClientError"
import type * as HttpClientRequestModule from "effect/http/HttpClientRequest"
import * as HttpClientResponseModule from "effect/http/HttpClientResponse"
import * as Url from "effect/http/Url"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as Result from "#line/core/result.js"

// Namespaces for types only; values the shared sources call are re-exported
// by name below, so a bundle keeps only those (a namespace handed on would keep its whole module).
export type * as Headers from "effect/http/Headers"
export type * as HttpClient from "effect/http/HttpClient"
export type * as HttpClientError from "effect/http/HttpClientError"
export type * as HttpClientRequest from "effect/http/HttpClientRequest"
export type * as HttpClientResponse from "effect/http/HttpClientResponse"
export type { HttpMethod } from "effect/http/HttpMethod"
export { Fetch as FetchFunction, layer as fetchLayer, RequestInit as FetchRequestInit } from "effect/http/FetchHttpClient"
export { fromInput as headersFromInput, redact as redactHeaders } from "effect/http/Headers"
export {
  HttpClient as HttpClientService,
  make as makeHttpClient,
  makeWith as makeHttpClientWith
} from "effect/http/HttpClient"
export {
  bodyText as requestBodyText,
  make as makeRequest,
  setHeaders as requestSetHeaders,
  setUrlParams as requestSetUrlParams
} from "effect/http/HttpClientRequest"
export { fromWeb as responseFromWeb } from "effect/http/HttpClientResponse"
export { toHeaders as traceHeaders } from "effect/http/HttpTraceContext"

/** A duration as given: a `Duration`, a number of milliseconds or a string such as `"5 seconds"`. */
export type DurationInput = Duration.Input

const durationUnits = new Set(["weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"])

/**
 * A duration read from anything, or undefined when it is not one. Effect 4's `Duration.fromInput`
 * keeps negative durations (Effect 3 clamped them to zero), reads any object as a `{ seconds, … }`
 * duration (zero when it has none of those fields) and throws on some malformed strings: here
 * negatives read as zero and an object needs duration fields, as Effect 3 read them.
 */
export const decodeDuration = (input: unknown): Duration.Duration | undefined => {
  if (typeof input === "object" && input !== null && !Duration.isDuration(input) && !Array.isArray(input)) {
    const fields = Object.entries(input)
    if (fields.length === 0 || !fields.every(([unit, value]) => durationUnits.has(unit) && (value === undefined || typeof value === "number"))) {
      return undefined
    }
  }
  let decoded
  try {
    decoded = Duration.fromInput(input as Duration.Input)
  } catch {
    return undefined
  }
  if (decoded._tag === "None") return undefined
  return Duration.isNegative(decoded.value) ? Duration.zero : decoded.value
}

/** A schema that decodes `I` to `A`. */
export type Codec<A, I = A> = Schema.Codec<A, I>

/** `"true"`/`"false"` as a boolean (Effect 4 has no `BooleanFromString`). */
export const BooleanFromString = Schema.Literals(["true", "false"]).transform([true, false])

/**
 * A decoder for `schema` answering a plain result; a failure is the issue as text. With
 * `exact`, a property the schema does not know fails.
 */
export const decoder = <A, I>(
  schema: Codec<A, I>,
  options?: { readonly exact?: boolean }
): (input: unknown) => Result.Result<A, string> => {
  const decode = Schema.decodeUnknownResult(schema, options?.exact ? { onExcessProperty: "error" } : undefined)
  return (input) => {
    const decoded = decode(input)
    return decoded._tag === "Success" ? Result.succeed(decoded.success) : Result.fail(decoded.failure.message)
  }
}

/** An effect resumed from a callback; the callback may answer a finaliser run on interruption. */
export const callback = <A, E = never, R = never>(
  register: (resume: (effect: Effect.Effect<A, E, R>) => void) => void | Effect.Effect<void, never, R>
): Effect.Effect<A, E, R> => Effect.callback<A, E, R>((resume) => register(resume))

/** The first typed failure of a cause, if it has one. */
export const failureOf = <E>(cause: Cause.Cause<E>): E | undefined => {
  const failure = Cause.findErrorOption(cause)
  return failure._tag === "Some" ? failure.value : undefined
}

/** Whether a cause holds nothing but interruptions. */
export const isInterruptedOnly: (cause: Cause.Cause<unknown>) => boolean = Cause.hasInterruptsOnly

/**
 * `effect` inside a client span named `name` when a tracer is installed: under Effect's own tracer
 * (`Tracer.nativeTracer`, the `Tracer` reference's default) nobody exports spans, and making one
 * costs a fifth of a call. No stack capture: it costs more per call than the rest of the SDK together.
 */
export const withClientSpan = <A, E, R>(effect: Effect.Effect<A, E, R>, name: string): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) =>
    fiber.getRef(Tracer.Tracer) === Tracer.nativeTracer
      ? effect
      : Effect.withSpan(name, { kind: "client" }, { captureStackTrace: false })(effect)
  )

/** A value each fiber reads, with a default, set for a region of a program (a `Context.Reference`). */
export type FiberLocal<A> = Context.Reference<A>

/** A fiber-local value with its default; `key` names the reference. */
export const fiberLocal = <A>(key: string, initial: A): FiberLocal<A> => Context.Reference<A>(key, { defaultValue: () => initial })

/** The fiber's current value. */
export const getLocal = <A>(local: FiberLocal<A>): Effect.Effect<A> => Effect.service(local)

/** `self` with the value set to `value`. */
export const locally = <X, E, R, A>(self: Effect.Effect<X, E, R>, local: FiberLocal<A>, value: A): Effect.Effect<X, E, R> =>
  Effect.provideService(self, local, value)

/** `self` with the value changed by `f`. */
export const locallyWith = <X, E, R, A>(self: Effect.Effect<X, E, R>, local: FiberLocal<A>, f: (current: A) => A): Effect.Effect<X, E, R> =>
  Effect.updateService(self, local, f)

/** Exponential backoff from `initialMillis`, jittered, each delay capped at `maxMillis`, `retries` times. */
export const backoffSchedule = (initialMillis: number, maxMillis: number, retries: number) =>
  Schedule.exponential(Duration.millis(initialMillis)).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((meta) => Effect.succeed(Duration.min(meta.duration, Duration.millis(maxMillis))))
  ).pipe((backoff) => Schedule.max([backoff, Schedule.recurs(retries)]))

/** `headers` without the named ones (lower-case names). */
export const removeHeaders = (headers: HeadersModule.Headers, names: Iterable<string>): HeadersModule.Headers =>
  HeadersModule.removeMany(headers, names)

/** `self` run with its context changed by `f`. */
export const updateContext = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  f: <R2>(context: Context.Context<R2>) => Context.Context<R2>
): Effect.Effect<A, E, R> => Effect.updateContext(self, f)

/**
 * What a failed HTTP client call says: its cause, the request's headers (to redact), whether the
 * transport failed (as opposed to encoding the request), and whether the URL could not be parsed
 * (never sent: Effect 4 tells it apart).
 */
export const readHttpClientError = (error: HttpClientErrorModule.HttpClientError): {
  readonly cause: unknown
  readonly requestHeaders: HeadersModule.Headers | undefined
  readonly transport: boolean
  readonly invalidUrl: boolean
} => {
  const { reason } = error
  return {
    cause: reason.cause ?? reason,
    requestHeaders: reason.request.headers,
    transport: reason._tag === "TransportError",
    invalidUrl: reason._tag === "InvalidUrlError"
  }
}

/** The URL a request goes to, query included, or why it is not one. */
export const parseRequestUrl = (request: HttpClientRequestModule.HttpClientRequest): Result.Result<URL, unknown> => {
  const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
  return url._tag === "Success" ? Result.succeed(url.success) : Result.fail(url.failure)
}

/** Effect's HTTP client failure for a URL that does not parse. */
export const invalidUrlFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.HttpClientError({ reason: new HttpClientErrorModule.InvalidUrlError({ request, cause }) })

/** Effect's HTTP client failure for a body it cannot send. */
export const encodeFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.HttpClientError({ reason: new HttpClientErrorModule.EncodeError({ request, cause }) })

/** `self` with more header names redacted wherever Effect records headers (its HTTP spans). */
export const withRedactedHeaderNames = <A, E, R>(self: Effect.Effect<A, E, R>, names: ReadonlyArray<string>): Effect.Effect<A, E, R> =>
  Effect.updateService(self, HeadersModule.CurrentRedactedNames, (current) => [...current, ...names])

/** Runs `self` in a child fiber of the current one. */
export const forkChild = <A, E>(self: Effect.Effect<A, E>): Effect.Effect<Fiber.Fiber<A, E>> => Effect.forkChild(self)

/** Interrupts a fiber from outside any fiber (a timer's callback), without waiting for it. */
export const interruptFromTimer = (fiber: Fiber.Fiber<unknown, unknown>): void => fiber.interruptUnsafe()

/** Whether an exit was interrupted. */
export const isInterruptedExit: (exit: Exit.Exit<unknown, unknown>) => boolean = Exit.hasInterrupts

/** How reading a response body fails in Effect's HTTP client. */
export type ResponseReadError = HttpClientErrorModule.HttpClientError

/** A body that could not be read, as Effect's HTTP client reports it. */
export const bodyReadFailure = (response: HttpClientResponseModule.HttpClientResponse, cause: unknown): ResponseReadError =>
  new HttpClientErrorModule.HttpClientError({
    reason: new HttpClientErrorModule.DecodeError({ request: response.request, response, cause })
  })

/** Whether a body read failed because there is no body at all (204, 304, HEAD). */
export const isEmptyBody = (error: ResponseReadError): boolean => error.reason._tag === "EmptyBodyError"

/** The web `Response` behind a fetch-based response, if it is one (`HttpClientResponse.toWeb`). */
export const webSource = (response: HttpClientResponseModule.HttpClientResponse): unknown =>
  Option.getOrUndefined(HttpClientResponseModule.toWeb(response))

/** Runs `f` on each batch of a stream's elements, in order. */
export const runForEachBatch = <A, E, R, E2, R2>(
  stream: Stream.Stream<A, E, R>,
  f: (batch: Iterable<A>) => Effect.Effect<void, E2, R2>
): Effect.Effect<void, E | E2, R | R2> => Stream.runForEachArray(stream, f)

/** The SDK's version, sent in its `User-Agent`. */
export const sdkVersion = "2.0.0-next.0"

/**
 * The base class of a service key: `class Foo extends ServiceKey<Foo, Shape>()("id") {}` (a
 * `Context.Service`).
 */
export const ServiceKey = <Self, Shape>() => <const Id extends string>(id: Id) => Context.Service<Self, Shape>()(id)

/** The service of a key, from the context. */
export const service = <I, S>(key: Context.Key<I, S>): Effect.Effect<S, never, I> => Effect.service(key)

/** `self` with every failure cause (interruptions and defects too) handled by `f`. */
export const catchCause = <A, E, R, A2, E2, R2>(
  self: Effect.Effect<A, E, R>,
  f: (cause: Cause.Cause<E>) => Effect.Effect<A2, E2, R2>
): Effect.Effect<A | A2, E2, R | R2> => Effect.catchCause(self, f)

/** What reading configuration fails with. */
export type ConfigError = Config.ConfigError

/** A secret string of the configuration, by name. */
export const configRedacted = (name: string): Config.Config<Redacted.Redacted<string>> => Config.Redacted(name)

/** A string of the configuration, by name. */
export const configString = (name: string): Config.Config<string> => Config.String(name)

/** `httpClient` with Effect's own HTTP span switched off (in Effect 4 a Reference, set per client). */
export const withoutHttpSpans = (httpClient: HttpClientModule.HttpClient): HttpClientModule.HttpClient =>
  HttpClientModule.transform(httpClient, (effect) => Effect.provideService(effect, HttpClientModule.TracerDisabledWhen, () => true))

/**
 * How Effect's HTTP client would trace `request` in the current fiber: its span name, URL, the
 * header names it redacts and whether it propagates the trace; undefined when it would not trace it.
 */
export const httpSpanPlan = (request: HttpClientRequestModule.HttpClientRequest): Effect.Effect<
  | { readonly name: string; readonly url: URL; readonly redactedNames: ReadonlyArray<string | RegExp>; readonly propagate: boolean }
  | undefined
> =>
  Effect.withFiber((fiber) => {
    const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
    if (
      url._tag === "Failure" || !fiber.getRef(References.TracerEnabled) ||
      fiber.getRef(HttpClientModule.TracerDisabledWhen)(request)
    ) {
      return Effect.succeed(undefined)
    }
    return Effect.succeed({
      name: fiber.getRef(HttpClientModule.SpanNameGenerator)(request),
      url: url.success,
      redactedNames: fiber.getRef(HeadersModule.CurrentRedactedNames),
      propagate: fiber.getRef(HttpClientModule.TracerPropagationEnabled)
    })
  })

/** A client span. */
export const makeClientSpan = (name: string): Effect.Effect<Tracer.Span> => Effect.makeSpan(name, { kind: "client" })

/** The clock's time in nanoseconds. */
export const nowNanos = (clock: Clock.Clock): bigint => clock.currentTimeNanosUnsafe()

/** A layer of one service from an effect that may acquire resources, released with the layer. */
export const scopedLayer = <I, S, E, R>(key: Context.Key<I, S>, effect: Effect.Effect<S, E, R>): Layer.Layer<I, E, Exclude<R, Scope.Scope>> =>
  Layer.effect(key, effect)

/** The layer an effect builds. */
export const unwrapLayer = <A, E1, R1, E, R>(effect: Effect.Effect<Layer.Layer<A, E1, R1>, E, R>): Layer.Layer<A, E | E1, Exclude<R, Scope.Scope> | R1> =>
  Layer.unwrap(effect)

/** A transport failure of Effect's HTTP client for `request`. */
export const transportFailure = (request: HttpClientRequestModule.HttpClientRequest, cause: unknown): HttpClientErrorModule.HttpClientError =>
  new HttpClientErrorModule.HttpClientError({ reason: new HttpClientErrorModule.TransportError({ request, cause }) })
