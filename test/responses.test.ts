/**
 * How responses the emulator never gives are read: flat and malformed error bodies, undocumented
 * statuses, bodies that do not decode. A scripted server answers over a real socket.
 */
import { Effect } from "effect"
import { describe, expect } from "vitest"
import { Account, type BytekitClient, type BytekitError } from "#line/index.js"
import { apiKeyBody as validKey, clientLayer, it, reply, scriptedServer } from "#line-test/support.js"


/** Runs an operation against one scripted answer; returns its failure and what the server saw. */
const failureOf = <A>(effect: Effect.Effect<A, BytekitError, BytekitClient>, ...steps: Parameters<typeof scriptedServer>) =>
  Effect.acquireUseRelease(
    Effect.promise(() => scriptedServer(...steps)),
    (server) =>
      Effect.flip(Effect.provide(effect, clientLayer(server.url, { apiKey: "sk_test_x" }))).pipe(
        Effect.map((error) => ({ error, seen: server.seen }))
      ),
    (server) => Effect.promise(() => server.close())
  )

describe("error bodies", () => {
  it.live("the flat body {error: code, message} gives the same tagged error as the envelope", () =>
    Effect.gen(function*() {
      const flat = yield* failureOf(Account.getApiKey("ak_1"), reply(404, { error: "not_found", message: "gone" }))
      const nested = yield* failureOf(Account.getApiKey("ak_1"), reply(404, { error: { code: "not_found", message: "gone" } }))
      expect(flat.error).toMatchObject({ _tag: "NotFound", status: 404, code: "not_found", message: "gone", details: {} })
      expect(nested.error).toMatchObject({ _tag: "NotFound", status: 404, code: "not_found", message: "gone", details: {} })
      const validation = yield* failureOf(
        Account.updateApiKey("ak_1", { name: "x" }),
        reply(422, { error: "validation_error", message: "name is taken", details: { field: "name" } })
      )
      expect(validation.error).toMatchObject({ _tag: "ValidationFailed", code: "validation_error", details: { field: "name" } })
    }))

  it.live("an error status with a body that is not the envelope still gives its tagged error", () =>
    Effect.gen(function*() {
      const { error } = yield* failureOf(Account.getAccount(), reply(502, "<html>Bad gateway</html>", { "content-type": "text/html" }))
      expect(error).toMatchObject({ _tag: "InternalServerError", status: 502, code: "internal_error" })
      expect(error.message).toContain("Bad gateway")
    }))

  it.live("every status of the error table maps to its error", () =>
    Effect.gen(function*() {
      const table = [
        [400, "InvalidRequest"],
        [401, "Unauthorized"],
        [402, "QuotaExceeded"],
        [403, "Forbidden"],
        [404, "NotFound"],
        [409, "Conflict"],
        [422, "ValidationFailed"],
        [429, "RateLimited"],
        [500, "InternalServerError"],
        [503, "InternalServerError"]
      ] as const
      for (const [status, tag] of table) {
        const { error } = yield* failureOf(Account.listApiKeys(), reply(status, { error: { code: "c", message: "m" } }))
        expect(error).toMatchObject({ _tag: tag, status, code: "c" })
      }
    }))

  it.live("reveal's documented 500 is InternalServerError", () =>
    Effect.gen(function*() {
      const { error } = yield* failureOf(
        Account.revealApiKey("ak_1"),
        reply(500, { error: { code: "internal_error", message: "decrypt failed" } })
      )
      expect(error).toMatchObject({ _tag: "InternalServerError", code: "internal_error", message: "decrypt failed" })
    }))

  it.live("a 429 carries retryAfter from Retry-After", () =>
    Effect.gen(function*() {
      const { error } = yield* failureOf(
        Account.listApiKeys(),
        reply(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "3" })
      )
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfter: 3000 })
    }))
})

describe("unexpected statuses", () => {
  it.live("418 is UnexpectedStatus with status, headers and body; the message shows at most 200 characters", () =>
    Effect.gen(function*() {
      const body = "teapot ".repeat(100)
      const { error } = yield* failureOf(Account.getAccount(), reply(418, body, { "x-custom": "1" }))
      expect(error._tag).toBe("UnexpectedStatus")
      if (error._tag === "UnexpectedStatus") {
        expect(error.status).toBe(418)
        expect(error.body).toBe(body)
        expect(error.headers["x-custom"]).toBe("1")
        expect(error.message.length).toBeLessThanOrEqual(200)
      }
    }))

  it.live("a 2xx other than the documented one is a success when its body decodes; else UnexpectedStatus", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() =>
        scriptedServer(reply(200, { ...validKey, key: "sk_test_x" }), reply(200, {}), reply(202, { job: "j_1" }))
      )
      const [create, revoke, other] = yield* Effect.all([
        Account.createApiKey(),
        Account.revokeApiKey("ak_1"),
        Effect.flip(Account.getApiKey("ak_1"))
      ]).pipe(
        Effect.provide(clientLayer(server.url, { apiKey: "sk_test_x" })),
        Effect.ensuring(Effect.promise(() => server.close()))
      )
      expect(create.id).toBe("ak_1")
      expect(revoke).toBeUndefined()
      expect(other).toMatchObject({ _tag: "UnexpectedStatus", status: 202 })
    }))
})

describe("malformed success bodies", () => {
  it.live("a body that is not JSON is MalformedResponse", () =>
    Effect.gen(function*() {
      const { error } = yield* failureOf(Account.getApiKey("ak_1"), reply(200, "{not json"))
      expect(error).toMatchObject({ _tag: "MalformedResponse", status: 200, issue: "the body is not JSON" })
    }))

  it.live("a body missing a published field is MalformedResponse naming the field", () =>
    Effect.gen(function*() {
      const { id: _, ...withoutId } = validKey
      const { error } = yield* failureOf(Account.getApiKey("ak_1"), reply(200, withoutId))
      expect(error._tag).toBe("MalformedResponse")
      if (error._tag === "MalformedResponse") expect(error.issue).toContain("id")
    }))

  it.live("assumed fields may be missing and unknown fields are ignored", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() =>
        scriptedServer(reply(200, { id: "ak_1", name: "k", reveal_available: false, brand_new_field: { x: 1 } }))
      )
      const key = yield* Account.getApiKey("ak_1").pipe(
        Effect.provide(clientLayer(server.url, { apiKey: "sk_test_x" })),
        Effect.ensuring(Effect.promise(() => server.close()))
      )
      expect(key).toMatchObject({ id: "ak_1", name: "k", reveal_available: false })
      expect(key.prefix).toBeUndefined()
    }))
})

describe("requests", () => {
  it.live("sends Bearer auth, JSON bodies, the query and a percent-encoded id", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() => scriptedServer(reply(200, validKey), reply(200, { data: [] })))
      yield* Effect.all([Account.updateApiKey("a/b c", { name: "n" }), Account.listApiKeys({ include_revoked: true })]).pipe(
        Effect.provide(clientLayer(server.url, { apiKey: "sk_test_x", headers: { "x-extra": "1" } })),
        Effect.ensuring(Effect.promise(() => server.close()))
      )
      const [update, list] = server.seen
      expect(update).toMatchObject({ method: "PATCH", url: "/v1/account/api-keys/a%2Fb%20c", body: "{\"name\":\"n\"}" })
      expect(update!.headers["authorization"]).toBe("Bearer sk_test_x")
      expect(update!.headers["content-type"]).toBe("application/json")
      expect(update!.headers["x-extra"]).toBe("1")
      expect(list).toMatchObject({ method: "GET", url: "/v1/account/api-keys?include_revoked=true" })
    }))

  it.live("a token with CR or LF is refused before anything is sent, without echoing it", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() => scriptedServer(reply(200, validKey)))
      const errors = yield* Effect.all([
        Effect.flip(Effect.provide(Account.getApiKey("ak_1"), clientLayer(server.url, { apiKey: "sk_test_a\r\nX-Evil: 1" }))),
        Effect.flip(Effect.provide(Account.getApiKey("ak_1"), clientLayer(server.url, { sessionToken: () => "jwt\nX: y" })))
      ]).pipe(Effect.ensuring(Effect.promise(() => server.close())))
      for (const error of errors) {
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).not.toContain("X-Evil")
        expect(error.message).not.toContain("jwt")
      }
      expect(server.seen).toHaveLength(0)
    }))

  it.live("a refused connection is TransportError with sent: false", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() => scriptedServer(reply(200, {})))
      yield* Effect.promise(() => server.close())
      const error = yield* Effect.flip(Effect.provide(Account.getAccount(), clientLayer(server.url, { apiKey: "sk_test_x" })))
      expect(error).toMatchObject({ _tag: "TransportError", sent: false, method: "GET" })
    }))
})
