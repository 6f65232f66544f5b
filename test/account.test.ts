/** The seven operations against the emulator over a real socket: successes and every documented error. */
import { Effect, Layer, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect } from "vitest"
import { Account, AccountDetails, type BytekitClient, SessionAccount } from "#line/index.js"
import { type Emulator, startEmulator } from "#line/emulator/server.js"
import { result } from "#line-test/line.js"
import { isFailure, isSuccess } from "#line-test/outcome.js"
import { clientLayer, it } from "#line-test/support.js"

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

/** Runs with the emulator's bootstrap API key. */
const asKey = <A, E>(effect: Effect.Effect<A, E, BytekitClient>, apiKey?: string) =>
  Effect.provide(effect, Layer.suspend(() => clientLayer(emulator.url, { apiKey: apiKey ?? emulator.apiKey })))

/** Runs with a fresh Clerk session token per request for `userId` (default: the owner). */
const asSession = <A, E>(effect: Effect.Effect<A, E, BytekitClient>, userId?: string) =>
  Effect.provide(
    effect,
    Layer.suspend(() => clientLayer(emulator.url, { sessionToken: () => emulator.mintSessionToken(userId) }))
  )

/** A fresh account with its own first key, so tests do not share a key count. */
const freshAccount = () => emulator.createAccount()

describe("createApiKey", () => {
  it.live("returns the plaintext once, redacted, in the configured environment", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey({ name: "CI" }))
      expect(created.id).toMatch(/^ak_/)
      expect(created.name).toBe("CI")
      const plaintext = Redacted.value(created.key)
      expect(plaintext).toMatch(/^sk_test_[0-9A-Za-z]{40}$/)
      expect(created.prefix).toBe(plaintext.slice(0, 12))
      expect(String(created.key)).not.toContain(plaintext)
      const fetched = yield* asKey(Account.getApiKey(created.id))
      expect(JSON.stringify(fetched)).not.toContain(plaintext)
      // The new key authenticates on its own.
      const account = yield* asKey(Account.getAccount(), plaintext)
      expect(account).toBeInstanceOf(AccountDetails)
      expect((account as AccountDetails).api_key.id).toBe(created.id)
    }))

  it.live("names a key \"Untitled key\" when no name is given, and trims names", () =>
    Effect.gen(function*() {
      expect((yield* asKey(Account.createApiKey())).name).toBe("Untitled key")
      expect((yield* asKey(Account.createApiKey({ name: "  spaced  " }))).name).toBe("spaced")
    }))

  it.live("InvalidInput for a name that is blank after trimming (the emulator's 400 is in leniency-and-redaction)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(asKey(Account.createApiKey({ name: "   " })))
      expect(error._tag).toBe("InvalidInput")
    }))

  it.live("401 Unauthorized for an unknown key, and for a key of the other environment", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.flip(asKey(Account.createApiKey(), "sk_test_" + "x".repeat(40)))
      expect(unknown).toMatchObject({ _tag: "Unauthorized", status: 401, code: "unauthorized" })
      const live = yield* Effect.flip(asKey(Account.createApiKey(), "sk_live_" + "x".repeat(40)))
      expect(live).toMatchObject({ _tag: "Unauthorized", code: "unauthorized" })
    }))

  it.live("409 api_key_limit_reached at 50 active keys; 60 concurrent creates leave exactly 50", () =>
    Effect.gen(function*() {
      const { apiKey } = freshAccount()
      const results = yield* asKey(
        Effect.forEach(Array.from({ length: 60 }), () => result(Account.createApiKey()), { concurrency: 60 }),
        apiKey
      )
      const created = results.filter(isSuccess)
      const refused = results.filter(isFailure).map((r) => r.failure)
      // The account's first key counts: 49 of the 60 get through.
      expect(created).toHaveLength(49)
      expect(refused).toHaveLength(11)
      for (const error of refused) expect(error).toMatchObject({ _tag: "Conflict", status: 409, code: "api_key_limit_reached" })
      const listed = yield* asKey(Account.listApiKeys(), apiKey)
      expect(listed.data).toHaveLength(50)
      // Revoked keys do not count.
      yield* asKey(Account.revokeApiKey(created[0]!.success.id), apiKey)
      yield* asKey(Account.createApiKey({ name: "after revoke" }), apiKey)
      expect(yield* Effect.flip(asKey(Account.createApiKey(), apiKey))).toMatchObject({ _tag: "Conflict" })
    }))

  it.live("429 RateLimited with retryAfter when the account's request limit is configured", () =>
    Effect.gen(function*() {
      const limited = yield* Effect.promise(() => startEmulator({ rateLimit: 2 }))
      // Ten at once against 2 a second: even spread over three windows on a loaded machine, at
      // least four are refused.
      const results = yield* Effect.forEach(
        Array.from({ length: 10 }),
        () => result(Account.createApiKey()),
        { concurrency: 10 }
      ).pipe(Effect.provide(clientLayer(limited.url, { apiKey: limited.apiKey })), Effect.ensuring(Effect.promise(() => limited.stop())))
      const errors = results.filter(isFailure).map((r) => r.failure)
      expect(errors.length).toBeGreaterThanOrEqual(3)
      const error = errors[0]!
      expect(error._tag).toBe("RateLimited")
      if (error._tag === "RateLimited") {
        expect(error.code).toBe("rate_limited")
        expect(error.retryAfter).toBeGreaterThan(0)
        expect(error.headers["x-ratelimit-remaining"]).toBe("0")
      }
    }))
})

describe("getAccount", () => {
  it.live("answers an API key with the full Account shape", () =>
    Effect.gen(function*() {
      const account = yield* asKey(Account.getAccount())
      expect(account).toBeInstanceOf(AccountDetails)
      const full = account as AccountDetails
      expect(full.id).toBe(emulator.seed.accountId)
      expect(full.api_key.prefix).toBe(emulator.apiKey.slice(0, 12))
      expect(full.plan.slug).toBe("starter")
      expect(full.subscription?.status).toBe("active")
      expect(full.api_key.last_used_at).not.toBeNull()
    }))

  it.live("answers a Clerk session with the SessionAccount shape", () =>
    Effect.gen(function*() {
      const account = yield* asSession(Account.getAccount(), emulator.seed.memberUserId)
      expect(account).toBeInstanceOf(SessionAccount)
      expect((account as SessionAccount).owner_user_id).toBe(emulator.seed.ownerUserId)
      expect("api_key" in account).toBe(false)
    }))

  it.live("401 for a missing credential and for a bad session token", () =>
    Effect.gen(function*() {
      const none = yield* Effect.flip(Effect.provide(Account.getAccount(), clientLayer(emulator.url)))
      expect(none).toMatchObject({ _tag: "Unauthorized", code: "unauthorized" })
      const bad = yield* Effect.flip(Effect.provide(Account.getAccount(), clientLayer(emulator.url, { sessionToken: () => "a.b.c" })))
      expect(bad).toMatchObject({ _tag: "Unauthorized", code: "unauthenticated" })
    }))

  it.live("403 Forbidden for a signed-in user who belongs to no account", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(asSession(Account.getAccount(), emulator.seed.strangerUserId))
      expect(error).toMatchObject({ _tag: "Forbidden", status: 403, code: "forbidden" })
    }))
})

describe("getApiKey", () => {
  it.live("returns the key's metadata", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey({ name: "meta" }))
      const key = yield* asKey(Account.getApiKey(created.id))
      expect(key).toMatchObject({ id: created.id, name: "meta", environment: "test", revoked_at: null, reveal_available: true })
      expect(key.created_at).toBe(created.created_at)
    }))

  it.live("404 NotFound for an unknown id and for another account's key", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(asKey(Account.getApiKey("ak_nope")))).toMatchObject({ _tag: "NotFound", status: 404, code: "not_found" })
      const other = freshAccount()
      const theirs = yield* asKey(Account.createApiKey(), other.apiKey)
      expect(yield* Effect.flip(asKey(Account.getApiKey(theirs.id)))).toMatchObject({ _tag: "NotFound" })
    }))

  it.live("percent-encodes the id: ../x reaches the server as one segment", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(asKey(Account.getApiKey("../x")))
      // Had the path been resolved, this would be /v1/account/x: a route that does not exist.
      expect(error).toMatchObject({ _tag: "NotFound", code: "not_found" })
      expect(error.message).toContain("\"../x\"")
      const spaced = yield* Effect.flip(asKey(Account.getApiKey("a b/c?d#e")))
      expect(spaced.message).toContain("\"a b/c?d#e\"")
    }))

  it.live("401 Unauthorized for a revoked key", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      const plaintext = Redacted.value(created.key)
      // A key may revoke itself; every later request with it is refused.
      yield* asKey(Account.revokeApiKey(created.id), plaintext)
      const error = yield* Effect.flip(asKey(Account.getApiKey(created.id), plaintext))
      expect(error).toMatchObject({ _tag: "Unauthorized", code: "unauthorized" })
    }))
})

describe("listApiKeys", () => {
  it.live("lists newest first and hides revoked keys unless include_revoked", () =>
    Effect.gen(function*() {
      const { apiKey } = freshAccount()
      const a = yield* asKey(Account.createApiKey({ name: "a" }), apiKey)
      const b = yield* asKey(Account.createApiKey({ name: "b" }), apiKey)
      yield* asKey(Account.revokeApiKey(a.id), apiKey)
      const active = yield* asKey(Account.listApiKeys(), apiKey)
      expect(active.data.map((k) => k.name)).toEqual(["b", "First key"])
      const explicit = yield* asKey(Account.listApiKeys({ include_revoked: false }), apiKey)
      expect(explicit.data.map((k) => k.id)).toEqual(active.data.map((k) => k.id))
      const all = yield* asKey(Account.listApiKeys({ include_revoked: true }), apiKey)
      expect(all.data.map((k) => k.id)).toEqual([b.id, a.id, all.data[2]!.id])
      expect(all.data[1]!.revoked_at).not.toBeNull()
      expect(JSON.stringify(all)).not.toMatch(/sk_test_[0-9A-Za-z]{40}/)
    }))
})

describe("revealApiKey", () => {
  it.live("returns the plaintext to a member of the owning account", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey({ name: "to reveal" }))
      const revealed = yield* asSession(Account.revealApiKey(created.id), emulator.seed.memberUserId)
      expect(Redacted.value(revealed.key)).toBe(Redacted.value(created.key))
    }))

  it.live("401 unauthenticated for an API key: reveal needs a Clerk session", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      expect(yield* Effect.flip(asKey(Account.revealApiKey(created.id)))).toMatchObject({
        _tag: "Unauthorized",
        code: "unauthenticated"
      })
    }))

  it.live("403 Forbidden for a user of another account, 404 for an unknown id", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      expect(yield* Effect.flip(asSession(Account.revealApiKey(created.id), emulator.seed.otherUserId))).toMatchObject({
        _tag: "Forbidden",
        code: "forbidden"
      })
      expect(yield* Effect.flip(asSession(Account.revealApiKey("ak_missing")))).toMatchObject({ _tag: "NotFound" })
    }))

  it.live("409 api_key_revoked for a revoked key, reveal_unavailable for a legacy key", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      yield* asKey(Account.revokeApiKey(created.id))
      expect(yield* Effect.flip(asSession(Account.revealApiKey(created.id)))).toMatchObject({
        _tag: "Conflict",
        code: "api_key_revoked"
      })
      const legacy = emulator.seedLegacyKey()
      expect((yield* asKey(Account.getApiKey(legacy))).reveal_available).toBe(false)
      expect(yield* Effect.flip(asSession(Account.revealApiKey(legacy)))).toMatchObject({
        _tag: "Conflict",
        code: "reveal_unavailable"
      })
    }))

  it.live("429 RateLimited with Retry-After past 10 reveals a minute", () =>
    Effect.gen(function*() {
      const fresh = yield* Effect.promise(() => startEmulator())
      const program = Effect.gen(function*() {
        const created = yield* Account.createApiKey()
        return yield* Effect.forEach(Array.from({ length: 12 }), () => result(Account.revealApiKey(created.id)))
      })
      const results = yield* program.pipe(
        Effect.provide(clientLayer(fresh.url, { sessionToken: () => fresh.mintSessionToken() })),
        Effect.ensuring(Effect.promise(() => fresh.stop()))
      )
      expect(results.filter(isSuccess)).toHaveLength(10)
      const limited = results.filter(isFailure).map((r) => r.failure)
      expect(limited).toHaveLength(2)
      const error = limited[0]!
      expect(error).toMatchObject({ _tag: "RateLimited", code: "rate_limited" })
      if (error._tag !== "RateLimited") return
      expect(error.retryAfter).toBeGreaterThan(0)
      expect(error.headers["retry-after"]).toMatch(/^\d+$/)
    }))
})

describe("revokeApiKey", () => {
  it.live("revokes, and is idempotent", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      yield* asKey(Account.revokeApiKey(created.id))
      const first = (yield* asKey(Account.getApiKey(created.id))).revoked_at
      expect(first).not.toBeNull()
      yield* asKey(Account.revokeApiKey(created.id))
      expect((yield* asKey(Account.getApiKey(created.id))).revoked_at).toBe(first)
    }))

  it.live("404 NotFound for an unknown id, 401 without a valid key", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(asKey(Account.revokeApiKey("ak_unknown")))).toMatchObject({ _tag: "NotFound" })
      expect(yield* Effect.flip(asKey(Account.revokeApiKey("ak_unknown"), "sk_test_nope"))).toMatchObject({ _tag: "Unauthorized" })
    }))
})

describe("updateApiKey", () => {
  it.live("renames a key", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey({ name: "old" }))
      const renamed = yield* asKey(Account.updateApiKey(created.id, { name: "new" }))
      expect(renamed).toMatchObject({ id: created.id, name: "new" })
      expect((yield* asKey(Account.getApiKey(created.id))).name).toBe("new")
    }))

  it.live("InvalidInput for a blank name, 401 without a valid key, 404 for an unknown id, 409 for a revoked key", () =>
    Effect.gen(function*() {
      const created = yield* asKey(Account.createApiKey())
      expect((yield* Effect.flip(asKey(Account.updateApiKey(created.id, { name: " " }))))._tag).toBe("InvalidInput")
      expect(yield* Effect.flip(asKey(Account.updateApiKey(created.id, { name: "x" }), "sk_test_bad"))).toMatchObject({
        _tag: "Unauthorized"
      })
      expect(yield* Effect.flip(asKey(Account.updateApiKey("ak_unknown", { name: "x" })))).toMatchObject({ _tag: "NotFound" })
      yield* asKey(Account.revokeApiKey(created.id))
      expect(yield* Effect.flip(asKey(Account.updateApiKey(created.id, { name: "x" })))).toMatchObject({
        _tag: "Conflict",
        code: "api_key_revoked"
      })
    }))
})

describe("Account.withResponse", () => {
  it.live("exposes the status and X-RateLimit-* headers of a success", () =>
    Effect.gen(function*() {
      const result = yield* asKey(Account.withResponse(Account.listApiKeys()))
      expect(result.status).toBe(200)
      expect(result.rateLimit.limit).toBe(10) // the plan's rate_limit_per_sec
      expect(result.rateLimit.remaining).toBeGreaterThanOrEqual(0)
      expect(result.rateLimit.reset).toBeGreaterThan(Date.now() / 1000 - 1)
      expect(result.value.data.length).toBeGreaterThan(0)
    }))
})
