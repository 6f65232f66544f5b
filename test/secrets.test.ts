/**
 * No plaintext key or token in any output: every operation and failure path runs with a debug
 * logger, and every value and error is logged, inspected, stringified and serialised.
 */
import { Cause, Effect, type Layer, Logger, Redacted, Tracer } from "effect"
import { inspect } from "node:util"
import { Account, type BytekitClient, type InvalidInput } from "#line/index.js"
import { startEmulator } from "#line/emulator/server.js"
import { result as outcome, withLogger } from "#line-test/line.js"
import { getOrThrow, isFailure, type Outcome } from "#line-test/outcome.js"
import { clientLayer, it, reply, scriptedServer } from "#line-test/support.js"
import { describe, expect } from "vitest"

describe("secrets", () => {
  it.live("no key or token appears in logs, errors, inspect, String or JSON output", () => {
    const output: Array<string> = []
    const capture = Logger.make(({ cause, message }) => {
      output.push(inspect(message, { depth: 10 }), Cause.pretty(cause), JSON.stringify(message))
    })
    return Effect.gen(function*() {
      const emulator = yield* Effect.acquireRelease(Effect.promise(() => startEmulator()), (e) => Effect.promise(() => e.stop()))
      const secrets = new Set<string>([emulator.apiKey])
      const sessionToken = () =>
        emulator.mintSessionToken().then((token) => {
          secrets.add(token)
          return token
        })
      /** Logs and renders a result every way a user might. */
      const expose = (result: Outcome<unknown, unknown>) =>
        Effect.gen(function*() {
          const value = result._tag === "Success" ? result.success : result.failure
          yield* Effect.logDebug("result", value)
          if (isFailure(result)) yield* Effect.logError(Cause.fail(result.failure))
          output.push(inspect(value, { depth: 10 }), String(value), JSON.stringify(value) ?? "")
          if (value instanceof Error) output.push(value.message, value.stack ?? "")
        })
      const run = <A, E>(effect: Effect.Effect<A, E, BytekitClient>, layer: Layer.Layer<BytekitClient, InvalidInput>) =>
        outcome(Effect.provide(effect, layer)).pipe(Effect.tap(expose))

      const asKey = clientLayer(emulator.url, { apiKey: Redacted.make(emulator.apiKey) })
      const asSession = clientLayer(emulator.url, { sessionToken })
      const created = yield* run(Account.createApiKey({ name: "secret" }), asKey)
      const key = getOrThrow(created)
      secrets.add(Redacted.value(key.key))
      const legacy = emulator.seedLegacyKey()

      // Every operation, succeeding.
      yield* run(Account.getAccount(), asKey)
      yield* run(Account.getAccount(), asSession)
      yield* run(Account.getApiKey(key.id), asKey)
      yield* run(Account.listApiKeys({ include_revoked: true }), asKey)
      yield* run(Account.updateApiKey(key.id, { name: "renamed" }), asKey)
      const revealed = yield* run(Account.revealApiKey(key.id), asSession)
      expect(Redacted.value(getOrThrow(revealed).key)).toBe(Redacted.value(key.key))
      // Every failure path.
      yield* run(Account.revealApiKey(key.id), asKey) // 401 unauthenticated
      yield* run(Account.getApiKey("ak_none"), asKey) // 404
      yield* run(Account.revealApiKey(legacy), asSession) // 409
      yield* run(Account.getAccount(), clientLayer(emulator.url, { apiKey: `${emulator.apiKey}x` })) // 401
      yield* run(Account.getAccount(), clientLayer(emulator.url, { apiKey: `${emulator.apiKey}\r\n` })) // InvalidInput
      yield* run(Account.getAccount(), clientLayer("http://127.0.0.1:1", { apiKey: emulator.apiKey })) // TransportError
      yield* run(Account.createApiKey({ name: "x".repeat(101) }), asKey) // InvalidInput (body)
      const scripted = yield* Effect.acquireRelease(
        Effect.promise(() => scriptedServer(reply(418, "teapot"), reply(200, "{bad"), reply(200, { key: 1 }))),
        (s) => Effect.promise(() => s.close())
      )
      const asScripted = clientLayer(scripted.url, { apiKey: emulator.apiKey })
      yield* run(Account.getAccount(), asScripted) // UnexpectedStatus
      yield* run(Account.revealApiKey(key.id), asScripted) // MalformedResponse (not JSON)
      yield* run(Account.revealApiKey(key.id), asScripted) // MalformedResponse (schema)
      yield* run(Account.revokeApiKey(key.id), asKey)
      yield* run(Account.revealApiKey(key.id), asSession) // 409 revoked

      // The scripted server did receive the key: it is in the request, and only there.
      expect(scripted.seen[0]!.headers["authorization"]).toBe(`Bearer ${emulator.apiKey}`)
      expect(secrets.size).toBeGreaterThanOrEqual(3)
      const everything = output.join("\n")
      expect(everything.length).toBeGreaterThan(1000)
      for (const secret of secrets) expect(everything).not.toContain(secret)
      // And the redacted values do show up as such.
      expect(everything).toContain("<redacted>")
    }).pipe(
      Effect.scoped,
      withLogger(capture, "Debug")
    )
  })

  it.live("span attributes never show the credential, whatever header carries it", () =>
    Effect.gen(function*() {
      const spans: Array<Tracer.Span> = []
      const base = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: base.context
      })
      const token = "sk_test_" + "S".repeat(40)
      const server = yield* Effect.acquireRelease(
        Effect.promise(() => scriptedServer(reply(404, { error: { code: "not_found", message: "no" } }))),
        (s) => Effect.promise(() => s.close())
      )
      // httpSpans: the HttpClient's per-request span, which records request headers.
      for (const options of [{ httpSpans: true }, { authHeaderName: "X-Bytekit-Key", authPrefix: "", httpSpans: true }]) {
        yield* outcome(
          Account.getApiKey("ak_1").pipe(Effect.provide(clientLayer(server.url, { apiKey: token, ...options })), Effect.withTracer(recording))
        )
      }
      expect(server.seen[1]!.headers["x-bytekit-key"]).toBe(token)
      const attributes = spans.flatMap((span) => [...span.attributes.entries()].map(([k, v]) => `${k}=${inspect(v)}`))
      expect(attributes.some((a) => a.startsWith("http.request.header.x-bytekit-key"))).toBe(true)
      expect(attributes.join("\n")).not.toContain(token)
      expect(spans.map((span) => span.name)).toContain("Account.getApiKey")
    }).pipe(Effect.scoped))
})
