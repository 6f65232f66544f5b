/**
 * Hostile options and inputs, over real sockets: an auth prefix or header name that would quote the
 * token into an error, transport messages that quote a header, what a tracer receives with
 * `httpSpans`, token sources that throw, lone surrogates, defects in the Promise forms, and plain
 * http to a host that is not loopback. No secret may show in any rendering of any outcome.
 */
import * as syncGetApiKey from "bytekit-effect/api/account/getApiKey"
import { AuthenticatedClient as DistAuthenticatedClient } from "bytekit-effect/client"
import { Cause, Effect, Exit, Layer, Logger, Option, Redacted, Tracer } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { networkInterfaces } from "node:os"
import { inspect } from "node:util"
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import * as createApiKey from "#line/api/account/createApiKey.js"
import * as getAccount from "#line/api/account/getAccount.js"
import * as getApiKey from "#line/api/account/getApiKey.js"
import { Account, AuthenticatedClient, BytekitClient, type BytekitClientOptions } from "#line/index.js"
import { FetchHttpClient, HttpClient, httpClientSpanName } from "#line-test/http.js"
import { failureOption, isDie, levelLabel, result, withLogger } from "#line-test/line.js"
import { closedUrl, startStatusServer } from "#line-test/processes.js"
import { apiKeyBody, reply, scriptedServer } from "#line-test/support.js"

const apiKey = "sk_test_" + "K".repeat(40)
const liveKey = "sk_live_" + "L".repeat(40)
const sessionToken = "sess_" + "T".repeat(60)

/** Every way a user or a logger might render a value. */
const renderings = (value: unknown): Array<string> => {
  const out = [inspect(value, { depth: Infinity }), String(value), JSON.stringify(value, bigints) ?? ""]
  if (value instanceof Error) out.push(value.message, value.stack ?? "")
  return out
}
const bigints = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value)

const expectNoSecret = (value: unknown, secrets: ReadonlyArray<string> = [apiKey, liveKey, sessionToken]) => {
  const text = renderings(value).join("\n")
  for (const secret of secrets) expect(text).not.toContain(secret)
}

/** Runs an Effect operation against a base URL with the given client options; the exit. */
const runWith = <A, E>(
  operation: Effect.Effect<A, E, BytekitClient>,
  options: BytekitClientOptions,
  transport: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer
) =>
  Effect.runPromiseExit(
    Effect.provide(operation, BytekitClient.layer({ maxRetries: 0, ...options }).pipe(Layer.provide(transport)))
  )

const errorOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(failureOption(exit.cause)) : undefined

/** What a Promise (or a sync call) rejected with. */
const rejectionOf = async (run: () => unknown): Promise<unknown> => {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error("expected a rejection")
}

let server: Awaited<ReturnType<typeof scriptedServer>>
beforeAll(async () => {
  server = await scriptedServer(reply(200, apiKeyBody))
})
afterAll(() => server.close())
afterEach(() => {
  server.seen.length = 0
  vi.restoreAllMocks()
})

describe("auth prefix and header name are checked as tokens are", () => {
  it("authPrefix with a control character is InvalidInput naming authPrefix; nothing is sent, the token shows nowhere", async () => {
    for (const authPrefix of ["Bearer\n", "Bearer\r\nX-Injected: 1", "Bea\u0000rer", "Bearer\t", "Bearer \u20ac"]) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, apiKey, authPrefix })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "authPrefix" })
      expectNoSecret(errorOf(exit))
      expectNoSecret(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")
      expect(renderings(errorOf(exit)).join("\n")).not.toContain(authPrefix)
    }
    expect(server.seen).toHaveLength(0)
  })

  it("authHeaderName that is not an HTTP token is InvalidInput naming authHeaderName; nothing is sent", async () => {
    for (const authHeaderName of ["", "X Key", "X-Key:", "Authorization\r\n", "X-Kl\u00e9", "(auth)", "a/b"]) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, apiKey, authHeaderName })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "authHeaderName" })
      expectNoSecret(errorOf(exit))
    }
    expect(server.seen).toHaveLength(0)
  })

  it("legitimate prefixes and header names are sent as given", async () => {
    const cases: Array<[BytekitClientOptions, string, string]> = [
      [{}, "authorization", `Bearer ${apiKey}`],
      [{ authPrefix: "Token" }, "authorization", `Token ${apiKey}`],
      [{ authPrefix: "" }, "authorization", apiKey],
      [{ authHeaderName: "X-Bytekit-Key", authPrefix: "" }, "x-bytekit-key", apiKey],
      [{ authHeaderName: "x_api.key~1!", authPrefix: "Key id=1," }, "x_api.key~1!", `Key id=1, ${apiKey}`]
    ]
    for (const [options, header, value] of cases) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, apiKey, ...options })
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(server.seen.at(-1)!.headers[header]).toBe(value)
    }
  })

  it("Promise forms: prefix and authHeaderName refused as InvalidInput naming the option; nothing is sent", async () => {
    const badPrefix = new AuthenticatedClient({ baseUrl: server.url, token: apiKey, prefix: "Bearer\n" })
    const badName = new AuthenticatedClient({ baseUrl: server.url, token: apiKey, authHeaderName: "X Key" })
    for (const [client, field] of [[badPrefix, "prefix"], [badName, "authHeaderName"]] as const) {
      for (const run of [() => getApiKey.asyncio("ak_1", client), () => getApiKey.asyncioDetailed("ak_1", client)]) {
        const error = await rejectionOf(run)
        expect(error).toMatchObject({ _tag: "InvalidInput", field })
        expectNoSecret(error)
      }
    }
    expect(server.seen).toHaveLength(0)
  })

  it("sync forms: the same checks, thrown as InvalidInput before the worker is asked", async () => {
    const url = await closedUrl()
    const badPrefix = new DistAuthenticatedClient({ baseUrl: url, token: apiKey, prefix: "Bearer\r\n" })
    const badName = new DistAuthenticatedClient({ baseUrl: url, token: apiKey, authHeaderName: "X-Key:" })
    for (const [client, field] of [[badPrefix, "prefix"], [badName, "authHeaderName"]] as const) {
      for (const run of [() => syncGetApiKey.sync("ak_1", client), () => syncGetApiKey.syncDetailed("ak_1", client)]) {
        const error = await rejectionOf(run)
        expect(error).toMatchObject({ _tag: "InvalidInput", field })
        expectNoSecret(error)
      }
    }
  })
})

describe("transport messages never quote a header value", () => {
  /** A fetch that corrupts the auth header and hands it to the real fetch, which refuses it quoting the value. */
  const corrupting = (name: string): typeof fetch => (input, init) => {
    const headers = new Headers()
    for (const [key, value] of Object.entries((init?.headers ?? {}) as Record<string, string>)) {
      headers.set(key, value)
    }
    const raw: Record<string, string> = Object.fromEntries(headers)
    // Inside the value (fetch trims whitespace at its ends), before the token, which stays whole.
    raw[name] = `x\n${raw[name]}`
    return globalThis.fetch(input, { ...init, headers: raw })
  }
  /** A fetch that throws a message quoting every header and a live key, as some runtimes do. */
  const quoting: typeof fetch = (_input, init) => {
    const values = Object.values((init?.headers ?? {}) as Record<string, string>).join("', '")
    throw new TypeError(`Invalid header value: '${values}' (also saw ${liveKey})`, {
      cause: new Error(`header check failed for '${values}'`)
    })
  }

  it("Effect API: a refused auth header gives TransportError without the token, default and custom header", async () => {
    for (
      const [options, header] of [
        [{ apiKey }, "authorization"],
        [{ apiKey, authHeaderName: "X-Bytekit-Key", authPrefix: "" }, "x-bytekit-key"],
        [{ sessionToken: () => sessionToken }, "authorization"]
      ] as const
    ) {
      for (const fetch of [corrupting(header), quoting]) {
        const exit = await runWith(
          Account.getApiKey("ak_1"),
          { baseUrl: server.url, ...options },
          FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch)))
        )
        const error = errorOf(exit)
        expect(error).toMatchObject({ _tag: "TransportError" })
        expectNoSecret(error)
        expectNoSecret(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")
      }
    }
    expect(server.seen).toHaveLength(0)
  })

  it("Promise forms: the same over a custom fetch", async () => {
    for (const fetch of [corrupting("authorization"), quoting]) {
      for (const token of [apiKey, () => sessionToken]) {
        const client = new AuthenticatedClient({ baseUrl: server.url, token, fetch, maxRetries: 0 })
        const error = await rejectionOf(() => getApiKey.asyncioDetailed("ak_1", client))
        expect(error).toMatchObject({ _tag: "TransportError" })
        expectNoSecret(error)
        await client.dispose()
      }
    }
  })
})

describe("what a tracer receives holds no secret (httpSpans)", () => {
  /** A tracer recording every span and every event added to it. */
  const recordingTracer = (base: Tracer.Tracer) => {
    const spans: Array<{ span: Tracer.Span; events: Array<unknown> }> = []
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        const events: Array<unknown> = []
        const event = span.event.bind(span)
        span.event = (name, startTime, attributes) => {
          events.push({ name, attributes })
          event(name, startTime, attributes)
        }
        spans.push({ span, events })
        return span
      },
      context: base.context
    })
    return { spans, tracer }
  }

  /** Everything an exporter could read from the recorded spans, rendered. */
  const exported = (spans: ReturnType<typeof recordingTracer>["spans"]) =>
    spans.flatMap(({ events, span }) => {
      const exit = span.status._tag === "Ended" ? span.status.exit : undefined
      const plain = { name: span.name, attributes: Object.fromEntries(span.attributes), events, exit }
      return [
        ...renderings(plain),
        ...renderings(exit),
        inspect(span, { depth: Infinity }),
        exit !== undefined && Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      ]
    }).join("\n")

  const closed = () => closedUrl()

  it("attributes, events and exits of every span, for API keys and session tokens, default and custom header", async () => {
    const failing = await scriptedServer(reply(404, { error: { code: "not_found", message: "no" } }))
    const unreachable = await closed()
    const base = await Effect.runPromise(Effect.tracer)
    const { spans, tracer } = recordingTracer(base)
    const credentials: Array<BytekitClientOptions> = [
      { apiKey },
      { apiKey: Redacted.make(liveKey) },
      { sessionToken: () => sessionToken },
      { apiKey, authHeaderName: "X-Bytekit-Key", authPrefix: "" },
      { sessionToken: Effect.succeed(sessionToken), authHeaderName: "X-Session", authPrefix: "Session" }
    ]
    for (const credential of credentials) {
      for (const baseUrl of [server.url, failing.url, unreachable]) {
        const exit = await Effect.runPromiseExit(
          Account.getApiKey("ak_1").pipe(
            Effect.tap(() => Effect.log("got it")),
            Effect.provide(
              BytekitClient.layer({ baseUrl, maxRetries: 0, httpSpans: true, ...credential }).pipe(
                Layer.provide(FetchHttpClient.layer)
              )
            ),
            Effect.withTracer(tracer)
          )
        )
        expect(Exit.isSuccess(exit)).toBe(baseUrl === server.url)
      }
    }
    await failing.close()
    // The credentials did go out, in their headers, to the servers that answered.
    expect(server.seen.map((seen) => seen.headers["x-bytekit-key"] ?? seen.headers["x-session"] ?? seen.headers["authorization"]))
      .toEqual([`Bearer ${apiKey}`, `Bearer ${liveKey}`, `Bearer ${sessionToken}`, apiKey, `Session ${sessionToken}`])
    // The platform's per-request client span is there, with its attributes.
    const names = spans.map(({ span }) => span.name)
    expect(names).toContain(httpClientSpanName("GET"))
    expect(names).toContain("Account.getApiKey")
    const attributes = spans.flatMap(({ span }) => [...span.attributes.keys()])
    expect(attributes).toContain("http.request.header.x-bytekit-key")
    expect(attributes).toContain("http.response.status_code")
    expect(spans.some(({ span }) => span.status._tag === "Ended")).toBe(true)
    const text = exported(spans)
    for (const secret of [apiKey, liveKey, sessionToken]) expect(text).not.toContain(secret)
  })

  it("W3C trace headers still reach the server, under the client span", async () => {
    const base = await Effect.runPromise(Effect.tracer)
    const { spans, tracer } = recordingTracer(base)
    await Effect.runPromise(
      Account.getApiKey("ak_1").pipe(
        Effect.provide(
          BytekitClient.layer({ baseUrl: server.url, apiKey, httpSpans: true }).pipe(Layer.provide(FetchHttpClient.layer))
        ),
        Effect.withTracer(tracer)
      )
    )
    const client = spans.find(({ span }) => span.name === httpClientSpanName("GET"))!.span
    expect(server.seen.at(-1)!.headers["traceparent"]).toBe(`00-${client.traceId}-${client.spanId}-01`)
  })
})

describe("token sources that throw are InvalidInput, never a defect", () => {
  const throwing = () => {
    throw new Error(`token service said ${sessionToken}`)
  }

  it("Effect API: a function that throws, a Promise that rejects, an Effect that dies, a non-string", async () => {
    const sources: Array<BytekitClientOptions["sessionToken"]> = [
      throwing,
      () => Promise.reject(new Error(sessionToken)),
      Effect.die(new Error(sessionToken)),
      Effect.fail(sessionToken),
      () => 42 as unknown as string,
      () => undefined as unknown as string
    ]
    for (const source of sources) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, sessionToken: source })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "sessionToken" })
      expect(Exit.isFailure(exit) && isDie(exit.cause)).toBe(false)
      expectNoSecret(errorOf(exit))
    }
    expect(server.seen).toHaveLength(0)
  })

  it("Promise forms: InvalidInput naming token", async () => {
    for (const token of [throwing, () => Promise.reject(new Error(sessionToken)), () => 7 as unknown as string]) {
      const client = new AuthenticatedClient({ baseUrl: server.url, token })
      for (const run of [() => getApiKey.asyncio("ak_1", client), () => getApiKey.asyncioDetailed("ak_1", client)]) {
        const error = await rejectionOf(run)
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "token" })
        expectNoSecret(error)
      }
    }
    expect(server.seen).toHaveLength(0)
  })

  it("sync forms: a throwing or asynchronous token function is InvalidInput naming token", async () => {
    const url = await closedUrl()
    for (const token of [throwing, () => Promise.resolve(sessionToken)]) {
      const client = new DistAuthenticatedClient({ baseUrl: url, token })
      const error = await rejectionOf(() => syncGetApiKey.sync("ak_1", client))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "token" })
      expectNoSecret(error)
    }
  })
})

describe("lone surrogates and unsendable characters are InvalidInput, never a URIError", () => {
  const loneIds = ["\ud800", "ak_\udc00", "ak_\ud83d", "\udfff\ud800"]

  it("Effect API: ids, names, headers, user agents and keys", async () => {
    for (const id of loneIds) {
      const exit = await runWith(Account.getApiKey(id), { baseUrl: server.url, apiKey })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "id" })
    }
    for (const options of [{ headers: { "x-trace": "a\ud800" } }, { headers: { "x-\u00e9": "a" } }, { userAgent: "ua\udc00" }]) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, apiKey, ...options })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "headers" })
    }
    for (const apiKey of ["sk_test_\ud800", "sk_test_\u20ac"]) {
      const exit = await runWith(Account.getApiKey("ak_1"), { baseUrl: server.url, apiKey })
      expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "apiKey" })
    }
    for (const name of ["a\ud800", "\udc00b"]) {
      const operations: Array<Effect.Effect<unknown, unknown, BytekitClient>> = [
        Account.createApiKey({ name }),
        Account.updateApiKey("ak_1", { name })
      ]
      for (const operation of operations) {
        const exit = await runWith(operation, { baseUrl: server.url, apiKey })
        expect(errorOf(exit)).toMatchObject({ _tag: "InvalidInput", field: "body" })
      }
    }
    // A well-formed pair is a character like any other, encoded.
    const exit = await runWith(Account.getApiKey("ak_\ud83d\ude00"), { baseUrl: server.url, apiKey })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(server.seen.map((seen) => seen.url)).toEqual(["/v1/account/api-keys/ak_%F0%9F%98%80"])
  })

  it("Promise forms: ids and names rejected as InvalidInput", async () => {
    const client = new AuthenticatedClient({ baseUrl: server.url, token: apiKey })
    for (const id of loneIds) {
      for (const run of [() => getApiKey.asyncio(id, client), () => getApiKey.asyncioDetailed(id, client)]) {
        expect(await rejectionOf(run)).toMatchObject({ _tag: "InvalidInput", field: "id" })
      }
    }
    expect(await rejectionOf(() => createApiKey.asyncio(client, { name: "key \ud83d" }))).toMatchObject({
      _tag: "InvalidInput",
      field: "body"
    })
    expect(server.seen).toHaveLength(0)
  })

  it("sync forms: ids rejected as InvalidInput", async () => {
    const client = new DistAuthenticatedClient({ baseUrl: await closedUrl(), token: apiKey })
    for (const id of loneIds) {
      for (const run of [() => syncGetApiKey.sync(id, client), () => syncGetApiKey.syncDetailed(id, client)]) {
        expect(await rejectionOf(run)).toMatchObject({ _tag: "InvalidInput", field: "id" })
      }
    }
  })
})

describe("the Promise forms reject only with the SDK's tagged errors", () => {
  const isTagged = (error: unknown) =>
    typeof error === "object" && error !== null && "_tag" in error && !inspect(error).includes("FiberFailure")

  it("a defect in the transport is a tagged Defect, not a plain Error or a FiberFailure", async () => {
    const dying = Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make(() => Effect.die(new Error(`bug while holding ${apiKey}`)))
    )
    const throwing = Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make(() => {
        throw new RangeError("Invalid string length")
      })
    )
    for (const httpClient of [dying, throwing]) {
      const client = new AuthenticatedClient({ baseUrl: server.url, token: apiKey, httpClient })
      for (const run of [() => getAccount.asyncio(client), () => getAccount.asyncioDetailed(client)]) {
        const error = await rejectionOf(run)
        expect(isTagged(error)).toBe(true)
        expect(error).toMatchObject({ _tag: "Defect" })
        expectNoSecret(error)
      }
    }
  })

  it("a client the sync forms cannot use is InvalidInput, not a TypeError", async () => {
    const client = new DistAuthenticatedClient({ baseUrl: await closedUrl(), token: apiKey, fetch: globalThis.fetch })
    const error = await rejectionOf(() => syncGetApiKey.sync("ak_1", client))
    expect(error).toMatchObject({ _tag: "InvalidInput", field: "fetch" })
  })

  it("an abort still rejects with the signal's reason", async () => {
    const stalled = await scriptedServer(() => {})
    const client = new AuthenticatedClient({ baseUrl: stalled.url, token: apiKey })
    const controller = new AbortController()
    const pending = rejectionOf(() => createApiKey.asyncio(client, {}, { signal: controller.signal }))
    setTimeout(() => controller.abort(new Error("stop")), 50)
    expect(await pending).toMatchObject({ message: "stop" })
    await client.dispose()
    await stalled.close()
  })
})

describe("plain http to a host that is not loopback warns once per client", () => {
  // The machine's own non-loopback address: a real socket the key would cross in clear.
  const lanAddress = Object.values(networkInterfaces()).flat().find((i) => i?.family === "IPv4" && !i.internal)?.address

  let lan: { url: string; seen: Array<string | undefined>; close: () => Promise<void> } | undefined
  beforeAll(async () => {
    if (lanAddress === undefined) return
    const seen: Array<string | undefined> = []
    const http = createServer((req, res) => {
      seen.push(req.headers["authorization"])
      req.resume()
      reply(200, apiKeyBody)(req, res)
    })
    await new Promise<void>((resolve) => http.listen(0, lanAddress, resolve))
    lan = {
      url: `http://${lanAddress}:${(http.address() as AddressInfo).port}`,
      seen,
      close: () => new Promise((resolve) => http.close(() => resolve()))
    }
  })
  afterAll(() => lan?.close())

  /** Builds clients (and runs `times` calls on each) with a logger capturing what is logged. */
  const logged = async (options: BytekitClientOptions, builds = 1, calls = 1) => {
    const lines: Array<{ level: string; text: string }> = []
    const capture = Logger.make(({ logLevel, message }) => {
      lines.push({ level: levelLabel(logLevel), text: inspect(message, { depth: 5 }) })
    })
    for (let i = 0; i < builds; i++) {
      await Effect.runPromiseExit(
        Effect.gen(function*() {
          for (let j = 0; j < calls; j++) yield* result(Account.getApiKey("ak_1"))
        }).pipe(
          Effect.provide(BytekitClient.layer({ maxRetries: 0, ...options }).pipe(Layer.provide(FetchHttpClient.layer))),
          withLogger(capture, "All")
        )
      )
    }
    return lines
  }

  it("Effect API: one logWarning per BytekitClient built, naming the origin and never the key", async () => {
    const baseUrl = lan?.url ?? "http://bytekit.invalid"
    const lines = await logged({ baseUrl, apiKey }, 2, 3)
    const warnings = lines.filter((line) => line.level === "WARN")
    expect(warnings).toHaveLength(2)
    expect(warnings[0]!.text).toContain(new URL(baseUrl).host)
    expect(warnings[0]!.text).toMatch(/https/)
    for (const line of lines) expect(line.text).not.toContain(apiKey)
    if (lan !== undefined) expect(lan.seen.filter((h) => h === `Bearer ${apiKey}`)).toHaveLength(6)
  })

  it("Effect API: no warning for loopback, https, no credential, or warnOnPlainHttp: false", async () => {
    for (
      const options of [
        { baseUrl: server.url, apiKey },
        { baseUrl: server.url.replace("127.0.0.1", "localhost"), apiKey },
        { baseUrl: "http://127.9.8.7:1", apiKey },
        { baseUrl: "http://[::1]:1", apiKey },
        { baseUrl: "http://api.localhost:1", apiKey },
        { baseUrl: "https://bytekit.invalid", apiKey },
        { baseUrl: "http://bytekit.invalid" },
        { baseUrl: "http://bytekit.invalid", apiKey, warnOnPlainHttp: false }
      ] satisfies Array<BytekitClientOptions>
    ) {
      const lines = await logged({ ...options, timeout: "1 second" })
      expect(lines.filter((line) => line.level === "WARN")).toEqual([])
    }
  })

  it("Effect API: session tokens warn too, for 0.0.0.0 and public hosts", async () => {
    for (const baseUrl of ["http://0.0.0.0:1", "http://bytekit.invalid", "http://[fd00::2]:1"]) {
      const lines = await logged({ baseUrl, sessionToken: () => sessionToken, timeout: "1 second" })
      expect(lines.filter((line) => line.level === "WARN")).toHaveLength(1)
    }
  })

  it("Promise forms: one console.warn per client, however many calls; none for loopback", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const baseUrl = lan?.url ?? "http://bytekit.invalid"
    const client = new AuthenticatedClient({ baseUrl, token: apiKey, maxRetries: 0, timeout: "2 seconds" })
    for (let i = 0; i < 3; i++) await getApiKey.asyncio("ak_1", client).catch(() => undefined)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain(new URL(baseUrl).host)
    expect(inspect(warn.mock.calls)).not.toContain(apiKey)
    await client.dispose()
    await getApiKey.asyncio("ak_1", client).catch(() => undefined)
    expect(warn).toHaveBeenCalledTimes(1)
    // Another client is another warning.
    const other = new AuthenticatedClient({ baseUrl, token: () => sessionToken, maxRetries: 0, timeout: "2 seconds" })
    await getApiKey.asyncio("ak_1", other).catch(() => undefined)
    expect(warn).toHaveBeenCalledTimes(2)
    const local = new AuthenticatedClient({ baseUrl: server.url, token: apiKey })
    await getApiKey.asyncio("ak_1", local)
    expect(warn).toHaveBeenCalledTimes(2)
    await Promise.all([other.dispose(), local.dispose()])
  })

  it("sync forms: one console.warn per client on the calling thread", async () => {
    const status = await startStatusServer()
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    try {
      // The status server answers 418 to anything; reached through the LAN address when there is one.
      const baseUrl = lanAddress === undefined ? status.url : status.url.replace("127.0.0.1", lanAddress)
      const client = new DistAuthenticatedClient({ baseUrl, token: apiKey, maxRetries: 0, timeout: 2000 })
      for (let i = 0; i < 3; i++) {
        try {
          syncGetApiKey.sync("ak_1", client)
        } catch {
          // A refused connection when the status server listens on loopback only: the warning is what counts.
        }
      }
      expect(warn).toHaveBeenCalledTimes(lanAddress === undefined ? 0 : 1)
      if (lanAddress !== undefined) expect(inspect(warn.mock.calls)).not.toContain(apiKey)
    } finally {
      status.stop()
    }
  })
})
