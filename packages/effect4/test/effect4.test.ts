/**
 * Where the 2.x line meets what Effect 4 changed: the retry schedule (Schedule.modifyDelay and
 * Schedule.max), call options as a Context.Reference, durations (Effect 4 keeps negatives) and how
 * a failure reaches Effect.runPromise. The rest of the behaviour is the shared suite's (test/).
 */
import { Duration, Effect, Exit, Fiber, Layer, Tracer } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect } from "vitest"
import { decodeDuration } from "#line/internal/effect.js"
import {
  Account,
  BytekitClient,
  currentCallOptions,
  defaultRetryPolicy,
  InvalidInput,
  retrySchedule,
  withCallOptions
} from "#line/index.js"
import { apiKeyBody, clientLayer, it, reply, scriptedServer } from "#line-test/support.js"

describe("retrySchedule on Effect 4", () => {
  it.live("retries exactly maxRetries times", () =>
    Effect.gen(function*() {
      let attempts = 0
      const policy = { ...defaultRetryPolicy, initialDelayMillis: 5, maxDelayMillis: 10, maxRetries: 3 }
      const exit = yield* Effect.exit(
        Effect.suspend(() => {
          attempts++
          return Effect.fail("transient")
        }).pipe(Effect.retry({ schedule: retrySchedule(policy) }))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(attempts).toBe(4)
    }))
})

describe("call options are a Context.Reference", () => {
  it.live("read with yield*, {} by default; nested withCallOptions merge, the inner one winning", () =>
    Effect.gen(function*() {
      expect(yield* currentCallOptions).toEqual({})
      const read = Effect.service(currentCallOptions)
      const nested = yield* read.pipe(withCallOptions({ maxRetries: 0 }), withCallOptions({ timeout: "2 seconds", maxRetries: 5 }))
      expect(nested).toEqual({ timeout: "2 seconds", maxRetries: 0 })
    }))

  it.live("a forked fiber inherits them", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(Effect.service(currentCallOptions)).pipe(withCallOptions({ maxRetries: 7 }))
      expect(yield* Fiber.join(fiber)).toEqual({ maxRetries: 7 })
    }))

  it.live("a per-call maxRetries reaches the request loop", () =>
    Effect.gen(function*() {
      const server = yield* Effect.acquireRelease(
        Effect.promise(() => scriptedServer(reply(503, { error: { code: "x", message: "busy" } }), reply(200, apiKeyBody))),
        (s) => Effect.promise(() => s.close())
      )
      const layer = clientLayer(server.url, { apiKey: "sk_test_x", maxRetries: 2, retry: { initialDelayMillis: 1, maxDelayMillis: 2 } })
      const error = yield* Effect.flip(Account.getApiKey("ak_1").pipe(withCallOptions({ maxRetries: 0 }), Effect.provide(layer)))
      expect(error._tag).toBe("InternalServerError")
      expect(server.seen).toHaveLength(1)
    }).pipe(Effect.scoped))
})

describe("durations read as 1.x reads them", () => {
  it("a negative duration is zero (Effect 4 keeps negatives); what is not a duration, {} included, is undefined", () => {
    expect(decodeDuration(-5)).toEqual(Duration.zero)
    expect(decodeDuration("2 seconds")).toEqual(Duration.seconds(2))
    expect(decodeDuration("soon")).toBeUndefined()
    expect(decodeDuration({})).toBeUndefined()
    expect(decodeDuration({ foo: 1 })).toBeUndefined()
    // Effect 4's object form is a duration.
    expect(decodeDuration({ seconds: 2 })).toEqual(Duration.seconds(2))
  })

  it.live("a negative per-call timeout is an immediate Timeout; one that is not a duration is InvalidInput", () =>
    Effect.gen(function*() {
      const server = yield* Effect.acquireRelease(
        Effect.promise(() => scriptedServer(() => {})),
        (s) => Effect.promise(() => s.close())
      )
      const layer = clientLayer(server.url, { apiKey: "sk_test_x" })
      const negative = yield* Effect.flip(Account.getAccount().pipe(withCallOptions({ timeout: -5 }), Effect.provide(layer)))
      expect(negative).toMatchObject({ _tag: "Timeout", timeoutMillis: 0 })
      const garbage = yield* Effect.flip(Account.getAccount().pipe(withCallOptions({ timeout: "soon" as never }), Effect.provide(layer)))
      expect(garbage).toMatchObject({ _tag: "InvalidInput", field: "timeout" })
    }).pipe(Effect.scoped))
})

describe("Effect.runPromise", () => {
  it("rejects with the SDK's tagged error itself (Effect 3 wrapped it in a FiberFailure)", async () => {
    const live = BytekitClient.layer({ apiKey: "sk_test_x" }).pipe(Layer.provide(FetchHttpClient.layer))
    const rejected = await Effect.runPromise(Account.getApiKey("").pipe(Effect.provide(live))).catch((error: unknown) => error)
    expect(rejected).toBeInstanceOf(InvalidInput)
    expect(String(rejected)).not.toContain("FiberFailure")
  })
})

describe("effect/http's own client span is off unless httpSpans (in Effect 4 a Reference, set per client)", () => {
  it.live("only the operation's span, and no trace headers sent", () =>
    Effect.gen(function*() {
      const server = yield* Effect.acquireRelease(
        Effect.promise(() => scriptedServer(reply(200, apiKeyBody))),
        (s) => Effect.promise(() => s.close())
      )
      const names: Array<string> = []
      const base = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (options) => {
          names.push(options.name)
          return base.span(options)
        },
        context: base.context
      })
      yield* Account.getApiKey("ak_1").pipe(Effect.provide(clientLayer(server.url, { apiKey: "sk_test_x" })), Effect.withTracer(tracer))
      expect(names).toEqual(["Account.getApiKey"])
      expect(server.seen[0]!.headers["traceparent"]).toBeUndefined()
      expect(server.seen[0]!.headers["b3"]).toBeUndefined()
    }).pipe(Effect.scoped))
})
