/**
 * Redirects, `sent` and the response size cap (issue 8, items 1, 5, 6, 7), against hostile servers
 * in another process, for the Effect API and the four call styles alike: the SDK follows redirects
 * itself and only when asked, never hands a credential to another origin, never reports a later
 * hop's failure as "not sent", re-sends a body on 307/308, and never buffers more than
 * `maxResponseBytes` of a response.
 */
import * as createApiKey from "bytekit-effect/api/account/createApiKey"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import { AuthenticatedClient } from "bytekit-effect"
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import { execFileSync, spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { get } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Agent, fetch as undiciFetch } from "undici"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Account, BytekitClient, type BytekitClientOptions, withCallOptions } from "#line/index.js"
import { FetchHttpClient, undiciLayer } from "#line-test/http.js"
import { failureOption, lineFixture, lineRoot } from "#line-test/line.js"
import { fixture, startProcess } from "#line-test/processes.js"

/** The Effect API over fetch and over undici (the line's undici HttpClient), and the four call styles. */
type Style = "effect" | "effectUndici" | "asyncio" | "asyncioDetailed" | "sync" | "syncDetailed"
const styles: ReadonlyArray<Style> = ["effect", "effectUndici", "asyncio", "asyncioDetailed", "sync", "syncDetailed"]
const asyncStyles: ReadonlyArray<Style> = ["effect", "effectUndici", "asyncio", "asyncioDetailed"]

type Servers = { origin: string; other: string; closed: string }
let servers: Awaited<ReturnType<typeof startProcess<Servers>>>

beforeAll(async () => {
  servers = await startProcess<Servers>(fixture("redirect-limit-server.mjs"))
})
afterAll(() => servers?.stop())

interface Seen {
  readonly server: "origin" | "other"
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** What the two servers saw for one test (its tag is a path segment), and the bytes /s/huge wrote so far. */
const seenFor = async (tag: string): Promise<{ seen: Array<Seen>; hugeWritten: number; redirectBodiesClosed: number }> => {
  // A connection of its own: a pooled one may be one the server has just closed.
  const text = await new Promise<string>((resolve, reject) => {
    get(`${servers.origin}/_seen`, { agent: false }, (res) => {
      let body = ""
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve(body))
    }).on("error", reject)
  })
  const log = JSON.parse(text) as { seen: Array<Seen>; hugeWritten: number; redirectBodiesClosed: number }
  return { ...log, seen: log.seen.filter((entry) => entry.url.includes(`/${tag}/`)) }
}

let tags = 0
const newTag = () => `t${++tags}`

const apiKey = "sk_test_secretkey123"

/** The options a test sets, in the Promise clients' words. */
interface Options {
  readonly followRedirects?: boolean
  readonly authHeaderName?: string
  readonly prefix?: string
  readonly headers?: Record<string, string>
  readonly secretHeaders?: ReadonlyArray<string>
  readonly maxResponseBytes?: number
  readonly maxRetries?: number
  readonly timeout?: number
}

type Op = "createApiKey" | "getApiKey"

interface Outcome {
  /** The model (asyncio, sync, Effect), or the Response (detailed forms). */
  readonly value?: any
  /** The failure: a tagged error, or whatever a defect was. */
  readonly error?: any
}

/** One call of `op` in `style` against `baseUrl`, as data. */
const call = async (
  style: Style,
  op: Op,
  baseUrl: string,
  options: Options = {},
  perCall: { readonly maxResponseBytes?: number } = {}
): Promise<Outcome> => {
  const retry = { initialDelayMillis: 5, maxDelayMillis: 20 }
  if (style === "effect" || style === "effectUndici") {
    const { prefix, ...rest } = options
    const clientOptions: BytekitClientOptions = {
      baseUrl,
      apiKey,
      retry,
      ...rest,
      ...(prefix === undefined ? {} : { authPrefix: prefix })
    }
    const effect: Effect.Effect<unknown, unknown, BytekitClient> = op === "createApiKey"
      ? Account.createApiKey({ name: "n" })
      : Account.getApiKey("ak_1")
    const exit = await Effect.runPromiseExit(
      effect.pipe(
        withCallOptions(perCall),
        Effect.provide(
          BytekitClient.layer(clientOptions).pipe(
            Layer.provide(style === "effect" ? FetchHttpClient.layer : undiciLayer)
          )
        )
      )
    )
    if (Exit.isSuccess(exit)) return { value: exit.value }
    return { error: Option.getOrElse(failureOption(exit.cause), () => Cause.squash(exit.cause)) }
  }
  const client = new AuthenticatedClient({ baseUrl, token: apiKey, retry, ...options })
  try {
    const sync = style === "sync" || style === "syncDetailed"
    const value = op === "createApiKey"
      ? sync ? createApiKey[style](client, { name: "n" }) : await createApiKey[style](client, { name: "n" }, perCall)
      : sync
      ? getApiKey[style]("ak_1", client)
      : await getApiKey[style]("ak_1", client, perCall)
    return { value }
  } catch (error) {
    return { error }
  } finally {
    await client.dispose()
  }
}

/** The status a call ended with: the detailed forms' statusCode, or the error's status. */
const detailed = (style: Style) => style === "asyncioDetailed" || style === "syncDetailed"

/** Every credential a test puts on its requests, as they would appear in a header value. */
const credentials = ["secretkey123", "tenant-hush"]
const carriesCredential = (entry: Seen) => credentials.some((secret) => JSON.stringify(entry.headers).includes(secret))

describe("a 3xx is not followed unless followRedirects is set: an undocumented status, the target sees nothing", () => {
  it.each(styles)("%s: a 302 to another origin", async (style) => {
    const tag = newTag()
    const { error, value } = await call(style, "getApiKey", `${servers.origin}/s/to/302/other/${tag}`)
    if (style.startsWith("effect")) expect(error).toMatchObject({ _tag: "UnexpectedStatus", status: 302 })
    else if (detailed(style)) expect(value.statusCode).toBe(302)
    else expect(value).toBeUndefined()
    const { seen } = await seenFor(tag)
    expect(seen.map((entry) => entry.server)).toEqual(["origin"])
  })
})

describe("followRedirects: the auth header and secret headers never go to another origin", () => {
  const auths = [
    { name: "X-Bytekit-Key, no prefix", options: { authHeaderName: "X-Bytekit-Key", prefix: "" } },
    { name: "X-Api-Key", options: { authHeaderName: "X-Api-Key" } },
    { name: "the default Authorization", options: {} }
  ]
  for (const auth of auths) {
    it.each(styles)(`%s: ${auth.name}, a secret user header: a 302 to another host:port carries neither`, async (style) => {
      const tag = newTag()
      const { error, value } = await call(style, "getApiKey", `${servers.origin}/s/to/302/other/${tag}`, {
        ...auth.options,
        followRedirects: true,
        headers: { "X-Tenant-Token": "tenant-hush", "x-trace": "trace-1" },
        secretHeaders: ["x-tenant-token"]
      })
      expect(error).toBeUndefined()
      expect(detailed(style) ? value.statusCode : value).toBeDefined()
      const { seen } = await seenFor(tag)
      expect(seen.map((entry) => entry.server)).toEqual(["origin", "other"])
      const [first, second] = seen as [Seen, Seen]
      // The origin got both credentials; the other origin got neither, but the plain header.
      expect(carriesCredential(first)).toBe(true)
      expect(first.headers["x-tenant-token"]).toBe("tenant-hush")
      expect(carriesCredential(second)).toBe(false)
      expect(second.headers["x-trace"]).toBe("trace-1")
    })
  }

  it.each(styles)("%s: a same-origin redirect keeps the auth header and the secret header", async (style) => {
    const tag = newTag()
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/to/302/same/${tag}`, {
      authHeaderName: "X-Bytekit-Key",
      followRedirects: true,
      headers: { "x-tenant-token": "tenant-hush" },
      secretHeaders: ["X-Tenant-Token"]
    })
    expect(error).toBeUndefined()
    const { seen } = await seenFor(tag)
    expect(seen).toHaveLength(2)
    for (const entry of seen) {
      expect(entry.server).toBe("origin")
      expect(entry.headers["x-bytekit-key"]).toBe(`Bearer ${apiKey}`)
      expect(entry.headers["x-tenant-token"]).toBe("tenant-hush")
    }
  })

  it.each(styles)("%s: a redirect loop stops after 5 hops with RedirectRefused, not retried", async (style) => {
    const tag = newTag()
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/loop/${tag}`, { followRedirects: true, maxRetries: 2 })
    expect(error).toMatchObject({ _tag: "RedirectRefused", reason: "tooManyRedirects", status: 302 })
    expect(error.message.length).toBeLessThanOrEqual(200)
    expect((await seenFor(tag)).seen).toHaveLength(6)
  })

  it.each(styles)("%s: a redirect's own body is dropped unread and its connection closed", async (style) => {
    const tag = newTag()
    const before = (await seenFor(tag)).redirectBodiesClosed
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/tobody/302/same/${tag}`, { followRedirects: true })
    expect(error).toBeUndefined()
    // The endless body's response closes once the client cancels it (polled: the close crosses a socket).
    let closed = 0
    for (let i = 0; i < 100 && closed === 0; i++) {
      closed = (await seenFor(tag)).redirectBodiesClosed - before
      if (closed === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(closed).toBe(1)
  })

  it.each(asyncStyles)("%s: 303 (and 301/302 on POST) become a GET without body or body headers", async (style) => {
    for (const status of [301, 302, 303]) {
      const tag = newTag()
      await call(style, "createApiKey", `${servers.origin}/s/to/${status}/same/${tag}`, { followRedirects: true })
      const { seen } = await seenFor(tag)
      expect(seen.map((entry) => entry.method), String(status)).toEqual(["POST", "GET"])
      expect(seen[1]!.body).toBe("")
      expect(seen[1]!.headers["content-type"]).toBeUndefined()
      expect(seen[1]!.headers["authorization"]).toBe(`Bearer ${apiKey}`)
    }
  })
})

describe("the transport is always asked not to follow", () => {
  it("undici (the line's undici HttpClient) does not follow on its own; with followRedirects the SDK does, without the key", async () => {
    for (const followRedirects of [false, true]) {
      const tag = newTag()
      const exit = await Effect.runPromiseExit(
        Account.getApiKey("ak_1").pipe(
          Effect.provide(
            BytekitClient.layer({ baseUrl: `${servers.origin}/s/to/302/other/${tag}`, apiKey, authHeaderName: "X-Api-Key", followRedirects })
              .pipe(Layer.provide(undiciLayer))
          )
        )
      )
      const { seen } = await seenFor(tag)
      if (followRedirects) {
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(seen.map((entry) => entry.server)).toEqual(["origin", "other"])
        expect(carriesCredential(seen[1]!)).toBe(false)
      } else {
        expect(Exit.isFailure(exit) && failureOption(exit.cause)).toMatchObject({ value: { _tag: "UnexpectedStatus", status: 302 } })
        expect(seen).toHaveLength(1)
      }
    }
  })

  it("a FetchHttpClient.RequestInit the program provides is kept, with redirect forced to manual", async () => {
    const tag = newTag()
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(
        Effect.provide(BytekitClient.layer({ baseUrl: `${servers.origin}/s/to/302/other/${tag}`, apiKey }).pipe(Layer.provide(FetchHttpClient.layer))),
        Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow", headers: { "x-from-init": "yes" } })
      )
    )
    expect(Exit.isFailure(exit) && failureOption(exit.cause)).toMatchObject({ value: { _tag: "UnexpectedStatus", status: 302 } })
    const { seen } = await seenFor(tag)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.headers["x-from-init"]).toBe("yes")
  })

  it("an opaque redirect (status 0, what a browser gives for redirect: manual) is RedirectRefused, for Effect and asyncio", async () => {
    const opaque: typeof fetch = async () => Response.error()
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(
        Effect.provide(BytekitClient.layer({ baseUrl: servers.origin, apiKey, followRedirects: true }).pipe(Layer.provide(FetchHttpClient.layer))),
        Effect.provideService(FetchHttpClient.Fetch, opaque)
      )
    )
    expect(Exit.isFailure(exit) && failureOption(exit.cause)).toMatchObject({
      value: { _tag: "RedirectRefused", reason: "opaque", status: 0 }
    })
    const client = new AuthenticatedClient({ baseUrl: servers.origin, token: apiKey, fetch: opaque })
    await expect(getApiKey.asyncio("ak_1", client)).rejects.toMatchObject({ _tag: "RedirectRefused", reason: "opaque" })
    await client.dispose()
  })
})

describe("https is never followed to http", () => {
  let https: ReturnType<typeof createHttpsServer>
  let httpsUrl: string
  // Trusts the test's self-signed certificate, and only for these requests.
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } })
  const trusting = ((input: any, init: any) => undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-tls-"))
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")
    ], { stdio: "ignore" })
    https = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
      // Every request is sent on to plain http, on the other origin.
      res.writeHead(302, { location: `${servers.other}/s/ok${req.url}`, "content-length": "0" }).end()
    })
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve))
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    https?.close()
    await dispatcher.close()
  })

  it("Effect API and asyncio: a 302 from https to http is RedirectRefused and the http server sees nothing", async () => {
    const tag = newTag()
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(
        Effect.provide(BytekitClient.layer({ baseUrl: `${httpsUrl}/${tag}`, apiKey, followRedirects: true }).pipe(Layer.provide(FetchHttpClient.layer))),
        Effect.provideService(FetchHttpClient.Fetch, trusting)
      )
    )
    expect(Exit.isFailure(exit) && failureOption(exit.cause)).toMatchObject({
      value: { _tag: "RedirectRefused", reason: "downgrade", status: 302 }
    })
    const client = new AuthenticatedClient({ baseUrl: `${httpsUrl}/${tag}`, token: apiKey, followRedirects: true, fetch: trusting })
    await expect(getApiKey.asyncio("ak_1", client)).rejects.toMatchObject({ _tag: "RedirectRefused", reason: "downgrade" })
    await client.dispose()
    expect((await seenFor(tag)).seen).toHaveLength(0)
  })
})

describe("sent is false only when no byte of the original request left", () => {
  for (const status of [301, 302, 303]) {
    it.each(styles)(`%s: create answered ${status} to a closed port is sent: true, and POSTed exactly once`, async (style) => {
      const tag = newTag()
      const { error } = await call(style, "createApiKey", `${servers.origin}/s/to/${status}/closed/${tag}`, {
        followRedirects: true,
        maxRetries: 2
      })
      expect(error).toMatchObject({ _tag: "TransportError", sent: true })
      const { seen } = await seenFor(tag)
      expect(seen.filter((entry) => entry.method === "POST")).toHaveLength(1)
    })
  }

  it.each(styles)("%s: a port fetch refuses (port 1, \"bad port\") is sent: false", async (style) => {
    const { error } = await call(style, "createApiKey", "http://127.0.0.1:1", { maxRetries: 0 })
    expect(error).toMatchObject({ _tag: "TransportError", sent: false })
  })
})

describe("a 307/308 on create re-sends the method and the body to the same origin", () => {
  for (const status of [307, 308]) {
    it.each(styles)(`%s: ${status}: the key is created`, async (style) => {
      const tag = newTag()
      const { error, value } = await call(style, "createApiKey", `${servers.origin}/s/to/${status}/same/${tag}`, { followRedirects: true })
      expect(error).toBeUndefined()
      const created = detailed(style) ? value.parsed : value
      expect(Redacted.value(created.key)).toMatch(/^sk_test_a+$/)
      const { seen } = await seenFor(tag)
      expect(seen.map((entry) => [entry.method, JSON.parse(entry.body)])).toEqual([["POST", { name: "n" }], ["POST", { name: "n" }]])
      expect(seen.every((entry) => entry.headers["authorization"] === `Bearer ${apiKey}`)).toBe(true)
    })
  }
})

describe("maxResponseBytes caps what is read of a response", () => {
  const MiB = 1024 * 1024

  it.each(styles)("%s: a streamed 500 MB body fails with ResponseTooLarge at the 8 MiB default; the server stops writing", async (style) => {
    const tag = newTag()
    const before = (await seenFor(tag)).hugeWritten
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/huge/${tag}`, { maxRetries: 2 })
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", status: 200, limitBytes: 8 * MiB, method: "GET" })
    const { hugeWritten, seen } = await seenFor(tag)
    expect(seen).toHaveLength(1)
    expect(hugeWritten - before).toBeLessThan(100 * MiB)
  })

  it.each(styles)("%s: a Content-Length over the cap fails before the body is read", async (style) => {
    const tag = newTag()
    // The server sends 1 KiB of the 100 MiB it declares, then waits: reading would end in Timeout.
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/declared/${tag}`, { maxRetries: 0, timeout: 20_000 })
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", status: 200, limitBytes: 8 * MiB })
  })

  it.each(styles)("%s: a body that stalls under the cap ends in Timeout, not a hang", async (style) => {
    // 1 KiB of a declared 100 MiB arrives, then nothing: the cap allows it, the deadline ends it.
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/declared/${newTag()}`, {
      maxRetries: 0,
      timeout: 300,
      maxResponseBytes: 256 * MiB
    })
    expect(error).toMatchObject({ _tag: "Timeout", timeoutMillis: 300 })
  })

  it.each(styles)("%s: the client's maxResponseBytes applies to every body", async (style) => {
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/ok/${newTag()}`, { maxResponseBytes: 100 })
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 100 })
    const { error: none } = await call(style, "getApiKey", `${servers.origin}/s/ok/${newTag()}`, { maxResponseBytes: 10_000 })
    expect(none).toBeUndefined()
  })

  it.each(asyncStyles)("%s: a per-call maxResponseBytes overrides the client's", async (style) => {
    const { error } = await call(style, "getApiKey", `${servers.origin}/s/ok/${newTag()}`, {}, { maxResponseBytes: 100 })
    expect(error).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 100 })
    const { error: none } = await call(style, "getApiKey", `${servers.origin}/s/ok/${newTag()}`, { maxResponseBytes: 100 }, {
      maxResponseBytes: 10_000
    })
    expect(none).toBeUndefined()
  })

  it.each(asyncStyles)("%s: a maxResponseBytes that is not an integer from 1 to 256 MiB is InvalidInput", async (style) => {
    for (const bad of [0, -1, 1.5, Number.NaN, 256 * MiB + 1, Number.POSITIVE_INFINITY]) {
      const { error } = await call(style, "getApiKey", servers.origin, { maxResponseBytes: bad })
      expect(error, String(bad)).toMatchObject({ _tag: "InvalidInput", field: "maxResponseBytes" })
      const { error: perCall } = await call(style, "getApiKey", servers.origin, {}, { maxResponseBytes: bad })
      expect(perCall, String(bad)).toMatchObject({ _tag: "InvalidInput", field: "maxResponseBytes" })
    }
  })

  it("a 500 MB body keeps a child process under +64 MiB RSS (asyncio, sync and the Effect API)", async () => {
    for (const style of ["asyncio", "sync", "effect"]) {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [lineFixture("rss-child.mjs"), style, `${servers.origin}/s/huge/${newTag()}`], {
          cwd: lineRoot,
          stdio: ["ignore", "pipe", "inherit"]
        })
        let out = ""
        child.stdout.on("data", (chunk) => (out += chunk))
        child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`rss script exited with ${code}: ${out}`))))
      })
      const result = JSON.parse(output) as { tag: string; beforeMiB: number; peakMiB: number; millis: number }
      console.log(`RSS ${style}: ${result.beforeMiB.toFixed(1)} MiB before, ${result.peakMiB.toFixed(1)} MiB peak, ${result.tag} in ${result.millis} ms`)
      expect(result.tag).toBe("ResponseTooLarge")
      expect(result.peakMiB - result.beforeMiB).toBeLessThan(64)
    }
  })
})
