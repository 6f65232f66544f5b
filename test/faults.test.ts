/**
 * Fault injection: a scripted server (real sockets) misbehaves in each way a network or a server
 * can, and each case asserts the exact outcome and how many attempts reached the server.
 */
import { Effect, Exit, Option } from "effect"
import type { IncomingMessage, ServerResponse } from "node:http"
import { Account, type BytekitClient, type BytekitClientOptions, withCallOptions } from "#line/index.js"
import { FetchHttpClient } from "#line-test/http.js"
import { failureOption, forkChild, interruptExit, isInterrupted } from "#line-test/line.js"
import { apiKeyBody as key, clientLayer, it, reply, scriptedServer } from "#line-test/support.js"
import { describe, expect } from "vitest"

const created = { id: "ak_2", name: "n", key: "sk_test_" + "a".repeat(40), created_at: "2026-01-01T00:00:00Z" }

type Step = (req: IncomingMessage, res: ServerResponse) => void
const ok: Step = reply(200, key)
const drop: Step = (req) => req.socket.destroy()
const dropMidBody: Step = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "500" })
  res.write("{\"id\":\"ak_1\",")
  setTimeout(() => res.socket?.resetAndDestroy(), 10)
}
const truncated: Step = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "500" })
  res.write("{\"id\":\"ak_1\",")
  res.socket?.end()
}
const stall: Step = () => {}
const status = (code: number, headers: Record<string, string> = {}): Step =>
  reply(code, { error: { code: "x", message: `status ${code}` } }, headers)

/** Fast backoff, so the suite measures behaviour and not waiting. */
const fast: BytekitClientOptions = { maxRetries: 2, retry: { initialDelayMillis: 5, maxDelayMillis: 20 } }

/** Runs an operation against a script; returns the exit, the attempts the server saw and the time taken. */
const against = <A, E>(
  operation: Effect.Effect<A, E, BytekitClient>,
  steps: Array<Step>,
  options: BytekitClientOptions = {}
) =>
  Effect.gen(function*() {
    const server = yield* Effect.acquireRelease(
      Effect.promise(() => scriptedServer(...steps)),
      (s) => Effect.promise(() => s.close())
    )
    const started = Date.now()
    const exit = yield* Effect.exit(
      Effect.provide(operation, clientLayer(server.url, { apiKey: "sk_test_x", ...fast, ...options }))
    )
    return { exit, attempts: server.seen.length, millis: Date.now() - started, server }
  }).pipe(Effect.scoped)

const failure = (exit: Exit.Exit<unknown, unknown>) => (Exit.isFailure(exit) ? exit.cause : undefined)
const errorOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(failureOption(exit.cause)) : undefined

describe("idempotent operations (GET, PATCH, DELETE) retry transient faults", () => {
  it.live("a connection dropped before the response: success on the third attempt", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1"), [drop, drop, ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(attempts).toBe(3)
    }))

  it.live("dropped every time: TransportError after 3 attempts", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1"), [drop])
      expect(errorOf(exit)).toMatchObject({ _tag: "TransportError", sent: true })
      expect(attempts).toBe(3)
    }))

  it.live("a connection reset mid body: retried, success on the second attempt", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1"), [dropMidBody, ok])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(attempts).toBe(2)
    }))

  it.live("a truncated body (clean close before Content-Length): TransportError after 3 attempts", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1"), [truncated])
      expect(errorOf(exit)).toMatchObject({ _tag: "TransportError" })
      expect(attempts).toBe(3)
    }))

  it.live("a stall past the timeout: Timeout after 3 attempts of 150 ms", () =>
    Effect.gen(function*() {
      const { attempts, exit, millis } = yield* against(Account.getApiKey("ak_1"), [stall], { timeout: 150 })
      expect(errorOf(exit)).toMatchObject({ _tag: "Timeout", timeoutMillis: 150 })
      expect(attempts).toBe(3)
      expect(millis).toBeGreaterThanOrEqual(450)
      expect(millis).toBeLessThan(3000)
    }))

  it.live("429 with Retry-After: 1 waits a second, then succeeds", () =>
    Effect.gen(function*() {
      const { attempts, exit, millis } = yield* against(Account.listApiKeys(), [status(429, { "retry-after": "1" }), reply(200, { data: [] })])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(attempts).toBe(2)
      expect(millis).toBeGreaterThanOrEqual(950)
    }))

  it.live("Retry-After as an HTTP date and Retry-After-Ms are honoured", () =>
    Effect.gen(function*() {
      const date = new Date(Date.now() + 1500).toUTCString()
      const byDate = yield* against(Account.listApiKeys(), [status(503, { "retry-after": date }), reply(200, { data: [] })])
      expect(Exit.isSuccess(byDate.exit)).toBe(true)
      expect(byDate.millis).toBeGreaterThanOrEqual(400)
      const byMs = yield* against(Account.listApiKeys(), [status(503, { "retry-after-ms": "300" }), reply(200, { data: [] })])
      expect(Exit.isSuccess(byMs.exit)).toBe(true)
      expect(byMs.millis).toBeGreaterThanOrEqual(290)
    }))

  it.live("a Retry-After over 60 s is ignored in favour of the backoff", () =>
    Effect.gen(function*() {
      const { attempts, exit, millis } = yield* against(Account.listApiKeys(), [status(429, { "retry-after": "120" }), reply(200, { data: [] })])
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(attempts).toBe(2)
      expect(millis).toBeLessThan(2000)
    }))

  it.live("a burst of 503s: success on the third attempt; one more 503 than retries gives InternalServerError", () =>
    Effect.gen(function*() {
      const recovered = yield* against(Account.getAccount(), [status(503), status(503), reply(200, { id: "a", name: "n", email: "e", plan: {}, owner_user_id: "u" })])
      expect(Exit.isSuccess(recovered.exit)).toBe(true)
      expect(recovered.attempts).toBe(3)
      const failed = yield* against(Account.getAccount(), [status(503)])
      expect(errorOf(failed.exit)).toMatchObject({ _tag: "InternalServerError", status: 503 })
      expect(failed.attempts).toBe(3)
    }))

  it.live("408, 500, 502 and 504 are retried", () =>
    Effect.gen(function*() {
      for (const code of [408, 500, 502, 504]) {
        const { attempts, exit } = yield* against(Account.revokeApiKey("ak_1"), [status(code), reply(204)])
        expect(Exit.isSuccess(exit), String(code)).toBe(true)
        expect(attempts, String(code)).toBe(2)
      }
    }))

  it.live("a 520 is InternalServerError and not retried", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1"), [status(520)])
      expect(errorOf(exit)).toMatchObject({ _tag: "InternalServerError", status: 520 })
      expect(attempts).toBe(1)
    }))

  it.live("400, 401, 402, 403, 404, 409 and 422 are never retried", () =>
    Effect.gen(function*() {
      for (const code of [400, 401, 402, 403, 404, 409, 422]) {
        const { attempts, exit } = yield* against(Account.updateApiKey("ak_1", { name: "n" }), [status(code), ok])
        expect(Exit.isFailure(exit), String(code)).toBe(true)
        expect(attempts, String(code)).toBe(1)
      }
    }))

  it.live("malformed JSON and a non-JSON content type are MalformedResponse, not retried", () =>
    Effect.gen(function*() {
      const malformed = yield* against(Account.getApiKey("ak_1"), [reply(200, "{\"id\": ")])
      expect(errorOf(malformed.exit)).toMatchObject({ _tag: "MalformedResponse", status: 200 })
      expect(malformed.attempts).toBe(1)
      const html = yield* against(Account.getApiKey("ak_1"), [reply(200, "<html>maintenance</html>", { "content-type": "text/html" })])
      expect(errorOf(html.exit)).toMatchObject({ _tag: "MalformedResponse" })
      expect(html.attempts).toBe(1)
    }))

  it.live("a redirect loop: not followed by default (UnexpectedStatus, one request); followed, RedirectRefused after 5 hops, not retried", () =>
    Effect.gen(function*() {
      const loop: Step = (req, res) => {
        res.writeHead(302, { location: req.url ?? "/" })
        res.end()
      }
      const unfollowed = yield* against(Account.getApiKey("ak_1"), [loop])
      expect(errorOf(unfollowed.exit)).toMatchObject({ _tag: "UnexpectedStatus", status: 302 })
      expect(unfollowed.attempts).toBe(1)
      const followed = yield* against(Account.getApiKey("ak_1"), [loop], { followRedirects: true })
      expect(errorOf(followed.exit)).toMatchObject({ _tag: "RedirectRefused", reason: "tooManyRedirects" })
      expect(followed.attempts).toBe(1 + 5)
    }))

  it.live("maxRetries: 0 per call turns retries off", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.getApiKey("ak_1").pipe(withCallOptions({ maxRetries: 0 })), [drop, ok])
      expect(Exit.isFailure(exit)).toBe(true)
      expect(attempts).toBe(1)
    }))
})

describe("create and reveal are never sent twice once the server has seen them", () => {
  for (const [name, step, tag] of [
    ["a dropped connection", drop, "TransportError"],
    ["a reset mid body", dropMidBody, "TransportError"],
    ["a stall past the timeout", stall, "Timeout"],
    ["a 503", status(503), "InternalServerError"],
    ["a 429 with Retry-After", status(429, { "retry-after": "0" }), "RateLimited"]
  ] as const) {
    it.live(`create: ${name} is one attempt, ${tag}`, () =>
      Effect.gen(function*() {
        const { attempts, exit } = yield* against(Account.createApiKey({ name: "once" }), [step, reply(201, created)], { timeout: 150 })
        expect(errorOf(exit)).toMatchObject({ _tag: tag })
        expect(attempts).toBe(1)
      }))
  }

  it.live("reveal: a 500 is one attempt", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* against(Account.revealApiKey("ak_1"), [status(500), reply(200, { key: "sk_test_x" })])
      expect(errorOf(exit)).toMatchObject({ _tag: "InternalServerError" })
      expect(attempts).toBe(1)
    }))

  it.live("create is retried when the connection was refused, so the server never saw it", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() => scriptedServer(reply(201, created)))
      const url = server.url
      yield* Effect.promise(() => server.close())
      let tries = 0
      const counting: typeof fetch = (input, init) => {
        tries++
        return fetch(input, init)
      }
      const exit = yield* Effect.exit(
        Account.createApiKey().pipe(
          Effect.provide(clientLayer(url, { apiKey: "sk_test_x", ...fast })),
          Effect.provideService(FetchHttpClient.Fetch, counting)
        )
      )
      expect(errorOf(exit)).toMatchObject({ _tag: "TransportError", sent: false })
      expect(tries).toBe(3)
    }))
})

describe("cancellation", () => {
  it.live("interrupting the fiber aborts the request at once", () =>
    Effect.gen(function*() {
      let closedAt = 0
      const server = yield* Effect.acquireRelease(
        Effect.promise(() =>
          scriptedServer((req) => {
            req.socket.once("close", () => (closedAt = Date.now()))
          })
        ),
        (s) => Effect.promise(() => s.close())
      )
      const fiber = yield* forkChild(Effect.provide(Account.getApiKey("ak_1"), clientLayer(server.url, { apiKey: "sk_test_x" })))
      yield* Effect.sleep("100 millis")
      expect(server.seen).toHaveLength(1)
      const interruptedAt = Date.now()
      const exit = yield* interruptExit(fiber)
      expect(isInterrupted(exit)).toBe(true)
      yield* Effect.sleep("100 millis")
      expect(closedAt).toBeGreaterThanOrEqual(interruptedAt)
      expect(closedAt - interruptedAt).toBeLessThan(100)
      expect(failure(exit)).toBeDefined()
    }).pipe(Effect.scoped))
})
