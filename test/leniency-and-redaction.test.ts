/**
 * Responses a real server may give that the contract does not promise, over real sockets: a 2xx
 * other than the documented one, key-shaped values in error bodies, `__proto__` keys, assumed
 * fields with other values, long error bodies; and the name rule on both sides of the wire.
 */
import { Effect, Redacted } from "effect"
import { inspect } from "node:util"
import * as createApiKeyForms from "#line/api/account/createApiKey.js"
import * as getApiKeyForms from "#line/api/account/getApiKey.js"
import * as updateApiKeyForms from "#line/api/account/updateApiKey.js"
import { startEmulator } from "#line/emulator/server.js"
import {
  Account,
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  AuthenticatedClient,
  type BytekitClient,
  type BytekitError,
  ErrorResponse,
  InvalidInput,
  MalformedResponse,
  NotFound,
  TransportError,
  UnexpectedStatus
} from "#line/index.js"
import { result as outcome } from "#line-test/line.js"
import { fixture, startProcess } from "#line-test/processes.js"
import { clientLayer, it, reply, scriptedServer } from "#line-test/support.js"
import { describe, expect } from "vitest"

const liveKey = "sk_live_" + "Ab3".repeat(13) + "Z"
const testKey = "sk_test_" + "9xQ".repeat(13) + "k"
const created = {
  id: "ak_1",
  name: "CI",
  key: liveKey,
  prefix: liveKey.slice(0, 12),
  environment: "live",
  created_at: "2026-01-01T00:00:00Z",
  reveal_available: true
}

/** Every rendering of a value a log or an exporter could show. */
const renderings = (value: unknown): string =>
  [String(value), inspect(value, { depth: 10 }), JSON.stringify(value), (value as Error).stack ?? ""].join("\n")

/** Runs an Effect operation against a scripted server; returns its exit as success or failure, and what the server saw. */
const against = <A>(effect: Effect.Effect<A, BytekitError, BytekitClient>, ...steps: Parameters<typeof scriptedServer>) =>
  Effect.acquireUseRelease(
    Effect.promise(() => scriptedServer(...steps)),
    (server) =>
      outcome(Effect.provide(effect, clientLayer(server.url, { apiKey: "sk_test_caller" }))).pipe(
        Effect.map((result) => ({ result, seen: server.seen }))
      ),
    (server) => Effect.promise(() => server.close())
  )

/** Runs a Promise form against a scripted server with a fresh client; the value or the rejection. */
const promiseAgainst = async <A>(
  run: (client: AuthenticatedClient) => Promise<A>,
  step: Parameters<typeof scriptedServer>[0],
  options: { readonly raiseOnUnexpectedStatus?: boolean } = {}
) => {
  const server = await scriptedServer(step)
  const client = new AuthenticatedClient({ baseUrl: server.url, token: "sk_test_caller", maxRetries: 0, ...options })
  try {
    return { value: await run(client), seen: server.seen }
  } catch (error) {
    return { error, seen: server.seen }
  } finally {
    await client.dispose()
    await server.close()
  }
}

describe("any 2xx whose body decodes as the operation's success is a success", () => {
  it.live("Effect API: create answered 200 with a valid body gives the key, redacted", () =>
    Effect.gen(function*() {
      const { result } = yield* against(Account.createApiKey({ name: "CI" }), reply(200, created))
      expect(result._tag).toBe("Success")
      if (result._tag === "Success") {
        expect(result.success).toBeInstanceOf(ApiKeyCreatedResponse)
        expect(Redacted.value(result.success.key)).toBe(liveKey)
        expect(renderings(result.success)).not.toContain(liveKey)
      }
    }))

  it.live("Effect API: reveal answered 201, and revoke answered 200 with a body, succeed", () =>
    Effect.gen(function*() {
      const reveal = yield* against(Account.revealApiKey("ak_1"), reply(201, { key: testKey }))
      expect(reveal.result._tag === "Success" && Redacted.value(reveal.result.success.key)).toBe(testKey)
      const revoke = yield* against(Account.revokeApiKey("ak_1"), reply(200, { revoked: true }))
      expect(revoke.result._tag).toBe("Success")
      const accepted = yield* against(Account.revokeApiKey("ak_1"), reply(202))
      expect(accepted.result._tag).toBe("Success")
    }))

  it.live("Effect API: an undocumented 2xx whose body does not decode is UnexpectedStatus, key redacted", () =>
    Effect.gen(function*() {
      const { result } = yield* against(Account.createApiKey(), reply(202, { queued: true, key: liveKey }))
      expect(result._tag === "Failure" && result.failure).toBeInstanceOf(UnexpectedStatus)
      expect(renderings(result)).not.toContain(liveKey)
    }))

  it("asyncio: create answered 200 gives the key, not undefined", async () => {
    const { value } = await promiseAgainst((client) => createApiKeyForms.asyncio(client, { name: "CI" }), reply(200, created))
    expect(value).toBeInstanceOf(ApiKeyCreatedResponse)
    expect(Redacted.value((value as ApiKeyCreatedResponse).key)).toBe(liveKey)
    const detailed = await promiseAgainst((client) => createApiKeyForms.asyncioDetailed(client), reply(200, created))
    expect(detailed.value?.statusCode).toBe(200)
    expect(Redacted.value((detailed.value?.parsed as ApiKeyCreatedResponse).key)).toBe(liveKey)
  })

  it("sync: create answered 200 gives the key (built package, server in another process)", async () => {
    const createSync = await import("bytekit-effect/api/account/createApiKey")
    const { AuthenticatedClient: BuiltClient } = await import("bytekit-effect")
    const server = await startProcess<{ url: string }>(fixture("fixed-reply-server.mjs"), ["200", JSON.stringify(created)])
    const client = new BuiltClient({ baseUrl: server.url, token: "sk_test_caller", maxRetries: 0 })
    try {
      const value = createSync.sync(client, { name: "CI" }) as { key: Redacted.Redacted<string> }
      expect(Redacted.value(value.key)).toBe(liveKey)
      expect(renderings(value)).not.toContain(liveKey)
    } finally {
      server.stop()
      await client.dispose()
    }
  })
})

describe("key-shaped values never appear in an error", () => {
  it.live("Effect API: create answered 418 with a key in the body is UnexpectedStatus without the key", () =>
    Effect.gen(function*() {
      const body = `{"note":"teapot","key":"${liveKey}","other":"${testKey}"}`
      const { result } = yield* against(Account.createApiKey(), reply(418, body))
      expect(result._tag).toBe("Failure")
      const error = result._tag === "Failure" ? result.failure : undefined
      expect(error).toBeInstanceOf(UnexpectedStatus)
      if (error instanceof UnexpectedStatus) {
        expect(error.body).toContain("teapot")
        expect(error.body).toContain("sk_live_")
        for (const text of [error.message, error.body, renderings(error)]) {
          expect(text).not.toContain(liveKey)
          expect(text).not.toContain(testKey)
          expect(text).not.toContain("Ab3Ab3")
        }
      }
    }))

  it.live("Effect API: a status error's message and details, and a malformed body's issue, hold no key", () =>
    Effect.gen(function*() {
      const notFound = yield* against(
        Account.getApiKey("ak_1"),
        reply(404, { error: { code: "not_found", message: `no key ${liveKey}`, details: { key: liveKey, nested: [{ k: testKey }] } } })
      )
      expect(notFound.result._tag === "Failure" && notFound.result.failure).toBeInstanceOf(NotFound)
      const flat = yield* against(Account.getApiKey("ak_1"), reply(400, `<html>${liveKey}</html>`))
      const malformed = yield* against(Account.createApiKey(), reply(201, { ...created, id: 7 }))
      expect(malformed.result._tag === "Failure" && malformed.result.failure).toBeInstanceOf(MalformedResponse)
      for (const { result } of [notFound, flat, malformed]) {
        expect(result._tag).toBe("Failure")
        expect(renderings(result._tag === "Failure" ? result.failure : undefined)).not.toMatch(/Ab3Ab3|9xQ9xQ/)
      }
    }))

  it("asyncio with raiseOnUnexpectedStatus: the UnexpectedStatus holds no key", async () => {
    const { error } = await promiseAgainst(
      (client) => createApiKeyForms.asyncio(client),
      reply(418, { key: liveKey }),
      { raiseOnUnexpectedStatus: true }
    )
    expect(error).toBeInstanceOf(UnexpectedStatus)
    expect(renderings(error)).not.toContain(liveKey)
  })

  it("sync with raiseOnUnexpectedStatus: the UnexpectedStatus holds no key", async () => {
    const createSync = await import("bytekit-effect/api/account/createApiKey")
    const { AuthenticatedClient: BuiltClient } = await import("bytekit-effect")
    const server = await startProcess<{ url: string }>(fixture("fixed-reply-server.mjs"), ["418", JSON.stringify({ key: liveKey })])
    const client = new BuiltClient({ baseUrl: server.url, token: "sk_test_caller", maxRetries: 0, raiseOnUnexpectedStatus: true })
    try {
      let thrown: unknown
      try {
        createSync.sync(client)
      } catch (error) {
        thrown = error
      }
      expect((thrown as { _tag?: string })._tag).toBe("UnexpectedStatus")
      expect(renderings(thrown)).not.toContain(liveKey)
    } finally {
      server.stop()
      await client.dispose()
    }
  })

  it("errors built directly redact key-shaped values too", () => {
    const errors = [
      new UnexpectedStatus({ status: 418, headers: {} as never, body: liveKey, message: `got ${liveKey}` }),
      new MalformedResponse({ status: 200, headers: {} as never, issue: liveKey, message: liveKey }),
      new NotFound({ status: 404, code: "not_found", message: liveKey, details: { a: { b: [liveKey] } }, headers: {} as never }),
      new TransportError({ method: "GET", url: "http://x", message: `refused ${testKey}`, sent: false }),
      new InvalidInput({ field: "name", message: liveKey })
    ]
    for (const error of errors) expect(renderings(error)).not.toMatch(/Ab3Ab3|9xQ9xQ/)
  })
})

describe("UnexpectedStatus.body keeps a short prefix", () => {
  it.live("a 100 KB body is kept as its first 2 KiB, marked as cut", () =>
    Effect.gen(function*() {
      const body = "x".repeat(100_000)
      const { result } = yield* against(Account.getAccount(), reply(418, body, { "content-type": "text/plain" }))
      const error = result._tag === "Failure" ? result.failure : undefined
      expect(error).toBeInstanceOf(UnexpectedStatus)
      if (error instanceof UnexpectedStatus) {
        expect(error.body.length).toBeLessThan(2200)
        expect(error.body.startsWith("x".repeat(2048))).toBe(true)
        expect(error.body).toContain("100000 bytes")
        expect(error.message.length).toBeLessThanOrEqual(200)
      }
    }))
})

describe("no key of a body sets a prototype", () => {
  const body = `{"error":{"code":"x","message":"m","details":{"__proto__":{"polluted":true},"field":"name"}}}`

  it.live("Effect API: err.details keeps Object.prototype", () =>
    Effect.gen(function*() {
      const { result } = yield* against(Account.getApiKey("ak_1"), reply(404, body))
      const error = result._tag === "Failure" ? result.failure : undefined
      expect(error).toBeInstanceOf(NotFound)
      if (error instanceof NotFound) {
        expect(Object.getPrototypeOf(error.details)).toBe(Object.prototype)
        expect((error.details as { polluted?: unknown }).polluted).toBeUndefined()
        expect(error.details["field"]).toBe("name")
      }
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    }))

  it.live("Effect API: an escaped __proto__ key sets no prototype either", () =>
    Effect.gen(function*() {
      const escaped = body.replace("__proto__", "\\u005f_proto__")
      const { result } = yield* against(Account.getApiKey("ak_1"), reply(404, escaped))
      const error = result._tag === "Failure" ? result.failure : undefined
      expect(error instanceof NotFound && Object.getPrototypeOf(error.details)).toBe(Object.prototype)
    }))

  it("asyncioDetailed: the parsed ErrorResponse's details keep Object.prototype", async () => {
    const { value } = await promiseAgainst((client) => getApiKeyForms.asyncioDetailed("ak_1", client), reply(404, body))
    const parsed = value?.parsed as ErrorResponse
    expect(parsed).toBeInstanceOf(ErrorResponse)
    expect(Object.getPrototypeOf(parsed.error.details)).toBe(Object.prototype)
    expect((parsed.error.details as { polluted?: unknown }).polluted).toBeUndefined()
  })
})

describe("fields the contract only assumes decode leniently; published fields stay strict", () => {
  const oddKey = {
    id: "ak_1",
    name: "k",
    prefix: null,
    environment: "staging",
    created_at: null,
    last_used_at: 17,
    revoked_at: { at: "yesterday" },
    reveal_available: true
  }

  it.live("Effect API: create with odd assumed fields keeps the key", () =>
    Effect.gen(function*() {
      const odd = { ...created, prefix: null, environment: "staging", reveal_available: "yes" }
      const { result } = yield* against(Account.createApiKey(), reply(201, odd))
      expect(result._tag).toBe("Success")
      if (result._tag === "Success") {
        expect(Redacted.value(result.success.key)).toBe(liveKey)
        expect(result.success.environment).toBeUndefined()
        expect(result.success.prefix).toBeUndefined()
        expect(result.success.reveal_available).toBeUndefined()
        expect(result.success.created_at).toBe(created.created_at)
      }
    }))

  it.live("Effect API: a key with odd assumed fields decodes, in get and in list", () =>
    Effect.gen(function*() {
      const get = yield* against(Account.getApiKey("ak_1"), reply(200, oddKey))
      expect(get.result._tag === "Success" && get.result.success).toBeInstanceOf(ApiKeyResponse)
      if (get.result._tag === "Success") {
        expect(get.result.success).toMatchObject({ id: "ak_1", name: "k", reveal_available: true })
        expect([get.result.success.prefix, get.result.success.environment, get.result.success.created_at]).toEqual([undefined, undefined, undefined])
        expect([get.result.success.last_used_at, get.result.success.revoked_at]).toEqual([undefined, undefined])
      }
      const list = yield* against(Account.listApiKeys(), reply(200, { data: [oddKey, { ...oddKey, environment: "test" }] }))
      expect(list.result._tag === "Success" && list.result.success.data.map((k) => k.environment)).toEqual([undefined, "test"])
    }))

  it.live("Effect API: a session account with a null email decodes", () =>
    Effect.gen(function*() {
      const { result } = yield* against(
        Account.getAccount(),
        reply(200, { id: "acct_1", name: null, email: null, plan: "free", owner_user_id: "user_1" })
      )
      expect(result._tag === "Success" && result.success).toMatchObject({ id: "acct_1", owner_user_id: "user_1" })
    }))

  it.live("Effect API: a published field with another value is still MalformedResponse", () =>
    Effect.gen(function*() {
      const cases = [
        against(Account.getApiKey("ak_1"), reply(200, { ...oddKey, name: null })),
        against(Account.getApiKey("ak_1"), reply(200, { ...oddKey, reveal_available: "yes" })),
        against(Account.createApiKey(), reply(201, { ...created, created_at: null }))
      ]
      for (const { result } of yield* Effect.all(cases)) {
        expect(result._tag === "Failure" && result.failure._tag).toBe("MalformedResponse")
      }
    }))

  it("asyncio: create with odd assumed fields keeps the key", async () => {
    const { value } = await promiseAgainst(
      (client) => createApiKeyForms.asyncio(client),
      reply(201, { ...created, prefix: null, environment: "staging" })
    )
    expect(Redacted.value((value as ApiKeyCreatedResponse).key)).toBe(liveKey)
  })
})

describe("names are 1 to 100 characters after trimming, in the SDK and the emulator", () => {
  const echo = reply(200, { id: "ak_1", name: "k", reveal_available: true })

  it.live("Effect API: a blank name is InvalidInput and nothing is sent; a padded name is sent trimmed", () =>
    Effect.gen(function*() {
      for (const name of ["   ", "\t\n", " " + "x".repeat(101) + " "]) {
        const create = yield* against(Account.createApiKey({ name }), echo)
        expect(create.result._tag === "Failure" && create.result.failure._tag).toBe("InvalidInput")
        const update = yield* against(Account.updateApiKey("ak_1", { name }), echo)
        expect(update.result._tag === "Failure" && update.result.failure._tag).toBe("InvalidInput")
        expect([...create.seen, ...update.seen]).toHaveLength(0)
      }
      const padded = "  " + "x".repeat(100) + "  "
      const { result, seen } = yield* against(Account.updateApiKey("ak_1", { name: padded }), echo)
      expect(result._tag).toBe("Success")
      expect(JSON.parse(seen[0]!.body)).toEqual({ name: "x".repeat(100) })
    }))

  it("asyncio: a blank name rejects with InvalidInput before sending", async () => {
    const { error, seen } = await promiseAgainst((client) => updateApiKeyForms.asyncio("ak_1", client, { name: "  " }), echo)
    expect(error).toBeInstanceOf(InvalidInput)
    expect(seen).toHaveLength(0)
  })

  it("emulator: a blank name is 400, a padded 100-character name is accepted and trimmed", async () => {
    const emulator = await startEmulator()
    try {
      const post = (body: unknown) =>
        fetch(`${emulator.url}/v1/account/api-keys`, {
          method: "POST",
          headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body)
        }).then(async (response) => ({ status: response.status, json: await response.json() as { name?: string; error?: { code: string } } }))
      expect(await post({ name: "   " })).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } })
      expect(await post({ name: "x".repeat(101) })).toMatchObject({ status: 400 })
      const padded = await post({ name: " " + "x".repeat(100) + " " })
      expect(padded).toMatchObject({ status: 201, json: { name: "x".repeat(100) } })
    } finally {
      await emulator.stop()
    }
  })
})
