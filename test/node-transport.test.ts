/**
 * The SDK's Node transport (node:http, keep-alive agents): the Promise forms' default on Node and
 * `bytekit-effect/node`'s layer. Over real sockets, it keeps what the SDK promises: cancellation and
 * timeouts close the socket, the size cap is counted as bytes arrive, redirects are the SDK's (no
 * credential crosses origins), `sent` is false only when nothing left, connections are reused,
 * `Retry-After` is honoured, and spans appear when a tracer is installed.
 */
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import { AuthenticatedClient } from "bytekit-effect/client"
import { Cause, Effect, Exit, Fiber, Option, Tracer } from "effect"
import { execFileSync } from "node:child_process"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { describe, expect, it } from "vitest"
import { Account, type BytekitClient } from "#line/index.js"
import { layer } from "#line/node.js"
import { httpClientSpanName } from "#line-test/http.js"
import { failureOption } from "#line-test/line.js"
import { fixture, startProcess } from "#line-test/processes.js"
import { apiKeyBody } from "#line-test/support.js"

const apiKey = "sk_test_nodetransport1"

/** A URL nothing listens on: a port just freed. */
const closedUrl = async () => {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise((resolve) => srv.close(resolve))
  return `http://127.0.0.1:${port}`
}

/** A server that counts connections and tells when each one closed; `handle` answers. */
const server = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
  const sockets: Array<Socket> = []
  let closed = 0
  const seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }> = []
  const srv = createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
      handle(req, res)
    })
  })
  srv.on("connection", (socket: Socket) => {
    sockets.push(socket)
    socket.on("close", () => closed++)
  })
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
  return {
    url,
    seen,
    connections: () => sockets.length,
    closed: () => closed,
    /** Resolves once `n` connections have closed. */
    closedAtLeast: async (n: number) => {
      while (closed < n) await new Promise((resolve) => setTimeout(resolve, 5))
    },
    close: () => new Promise<void>((resolve) => {
      srv.close(() => resolve())
      srv.closeAllConnections()
    })
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  const text = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
  res.end(text)
}

const failure = <A, E>(exit: Exit.Exit<A, E>): any =>
  Exit.isFailure(exit) ? Option.getOrElse(failureOption(exit.cause), () => Cause.squash(exit.cause)) : undefined

const run = <A, E>(effect: Effect.Effect<A, E, BytekitClient>, url: string, options: Parameters<typeof layer>[0] = {}) =>
  Effect.runPromiseExit(effect.pipe(Effect.provide(layer({ baseUrl: url, apiKey, maxRetries: 0, ...options }))))

describe("the Promise forms send over node:http by default on Node; a given fetch wins", () => {
  it("a default client's request carries none of fetch's headers; with a fetch option it does", async () => {
    const s = await server(json(200, apiKeyBody))
    const plain = new AuthenticatedClient({ baseUrl: s.url, token: apiKey })
    const withFetch = new AuthenticatedClient({ baseUrl: s.url, token: apiKey, fetch: globalThis.fetch })
    expect(await getApiKey.asyncio("ak_1", plain)).toMatchObject({ id: "ak_1" })
    expect(await getApiKey.asyncio("ak_1", withFetch)).toMatchObject({ id: "ak_1" })
    expect(s.seen[0]!.headers["sec-fetch-mode"]).toBeUndefined()
    expect(s.seen[1]!.headers["sec-fetch-mode"]).toBe("cors")
    await Promise.all([plain.dispose(), withFetch.dispose()])
    await s.close()
  })
})

describe("cancellation closes the socket", () => {
  it("Effect API: interrupting a call the server never answers closes its connection", async () => {
    const s = await server(() => {})
    const fiber = Effect.runFork(Account.getApiKey("ak_1").pipe(Effect.provide(layer({ baseUrl: s.url, apiKey }))))
    while (s.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await Effect.runPromise(Fiber.interrupt(fiber))
    await s.closedAtLeast(1)
    expect(s.closed()).toBe(1)
    await s.close()
  })

  it("asyncio: aborting the signal rejects with its reason and closes the connection", async () => {
    const s = await server(() => {})
    const client = new AuthenticatedClient({ baseUrl: s.url, token: apiKey })
    const controller = new AbortController()
    const pending = getApiKey.asyncio("ak_1", client, { signal: controller.signal })
    while (s.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort(new Error("stop"))
    await expect(pending).rejects.toThrow("stop")
    await s.closedAtLeast(1)
    await client.dispose()
    await s.close()
  })

  it("a timeout is Timeout, and closes the connection", async () => {
    const s = await server(() => {})
    const exit = await run(Account.getApiKey("ak_1"), s.url, { timeout: "100 millis" })
    expect(failure(exit)?._tag).toBe("Timeout")
    await s.closedAtLeast(1)
    await s.close()
  })
})

describe("the response size cap is counted as bytes arrive", () => {
  it("a chunked body past the cap is ResponseTooLarge and its connection is closed", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      // Never ends on its own: only the client closing the connection stops it.
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024, 32)), 1)
      res.on("close", () => clearInterval(timer))
    })
    const exit = await run(Account.getApiKey("ak_1"), s.url, { maxResponseBytes: 64 * 1024 })
    expect(failure(exit)?._tag).toBe("ResponseTooLarge")
    await s.closedAtLeast(1)
    await s.close()
  })

  it("a declared Content-Length over the cap fails before reading", async () => {
    const s = await server(json(200, { ...apiKeyBody, name: "x".repeat(5000) }))
    const exit = await run(Account.getApiKey("ak_1"), s.url, { maxResponseBytes: 1000 })
    expect(failure(exit)).toMatchObject({ _tag: "ResponseTooLarge", limitBytes: 1000 })
    expect(failure(exit).message).toContain("declares")
    await s.close()
  })

  it("chunked and Content-Length bodies under the cap are read whole", async () => {
    const text = JSON.stringify(apiKeyBody)
    const s = await server((req, res) => {
      if (req.url!.includes("chunked")) {
        res.writeHead(200, { "content-type": "application/json" })
        res.write(text.slice(0, 10))
        setTimeout(() => res.end(text.slice(10)), 5)
      } else {
        json(200, apiKeyBody)(req, res)
      }
    })
    for (const id of ["chunked", "whole"]) {
      const exit = await run(Account.getApiKey(id), s.url)
      expect(Exit.isSuccess(exit) && exit.value.id).toBe("ak_1")
    }
    await s.close()
  })
})

describe("redirects stay the SDK's: credentials never cross origins", () => {
  it("a 307 to another origin re-sends the body without the auth header; the same origin keeps it", async () => {
    const other = await server(json(201, { ...apiKeyBody, key: "sk_test_created00001" }))
    const origin = await server((req, res) => {
      if (req.url!.startsWith("/v1/")) {
        res.writeHead(307, { location: `/moved${req.url}` })
        res.end()
      } else {
        res.writeHead(307, { location: `${other.url}${req.url}` })
        res.end()
      }
    })
    const exit = await run(Account.createApiKey({ name: "ci" }), origin.url, { followRedirects: true })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(origin.seen.map((s) => s.headers["authorization"])).toEqual([`Bearer ${apiKey}`, `Bearer ${apiKey}`])
    expect(other.seen[0]!.headers["authorization"]).toBeUndefined()
    expect(other.seen[0]!.body).toBe(JSON.stringify({ name: "ci" }))
    await Promise.all([origin.close(), other.close()])
  })

  it("without followRedirects the 3xx is the answer, and the target sees nothing", async () => {
    const other = await server(json(200, apiKeyBody))
    const origin = await server((_req, res) => {
      res.writeHead(302, { location: other.url })
      res.end()
    })
    const exit = await run(Account.getApiKey("ak_1"), origin.url)
    expect(Exit.isFailure(exit)).toBe(true)
    expect(other.seen).toHaveLength(0)
    await Promise.all([origin.close(), other.close()])
  })
})

describe("sent is false only when no byte left", () => {
  it("a refused connection is sent: false; a connection dropped after the request is sent: true", async () => {
    const refused = await run(Account.getApiKey("ak_1"), await closedUrl())
    expect(failure(refused)).toMatchObject({ _tag: "TransportError", sent: false })
    const s = await server((req) => req.socket.destroy())
    const dropped = await run(Account.getApiKey("ak_1"), s.url)
    expect(failure(dropped)).toMatchObject({ _tag: "TransportError", sent: true })
    expect(JSON.stringify(failure(dropped))).not.toContain(apiKey)
    await s.close()
  })
})

describe("connections are reused; Retry-After is honoured", () => {
  it("calls one after another share one keep-alive connection", async () => {
    const s = await server(json(200, apiKeyBody))
    const client = new AuthenticatedClient({ baseUrl: s.url, token: apiKey })
    for (let i = 0; i < 5; i++) await getApiKey.asyncio("ak_1", client)
    expect(s.connections()).toBe(1)
    await client.dispose()
    await s.close()
  })

  it("a 503 with Retry-After is retried, and the second answer is the result", async () => {
    let calls = 0
    const s = await server((req, res) => (++calls === 1 ? json(503, {}, { "retry-after": "0" }) : json(200, apiKeyBody))(req, res))
    const exit = await run(Account.getApiKey("ak_1"), s.url, { maxRetries: 1, retry: { initialDelayMillis: 1 } })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(calls).toBe(2)
    await s.close()
  })
})

describe("spans appear when a tracer is installed", () => {
  it("the operation span, and with httpSpans the client span, go to an installed tracer", async () => {
    const s = await server(json(200, apiKeyBody))
    const base = await Effect.runPromise(Effect.tracer)
    const names: Array<string> = []
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        names.push(span.name)
        return span
      },
      context: base.context
    })
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(
        Effect.provide(layer({ baseUrl: s.url, apiKey, httpSpans: true })),
        Effect.withTracer(tracer)
      )
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(names).toContain("Account.getApiKey")
    expect(names).toContain(httpClientSpanName("GET"))
    await s.close()
  })
})

describe("the sync forms' worker sends over node:http too, and can be started ahead", () => {
  it("after warmUp() resolves, a sync call answers", async () => {
    // In another process: a sync call blocks this thread.
    const s = await startProcess<{ url: string }>(fixture("fixed-reply-server.mjs"), ["200", JSON.stringify(apiKeyBody)])
    const client = new AuthenticatedClient({ baseUrl: s.url, token: apiKey })
    await client.warmUp()
    expect(getApiKey.sync("ak_1", client)).toMatchObject({ id: "ak_1" })
    await client.dispose()
    s.stop()
  })

  it("a script awaiting warmUp() at top level gets there (the wait holds the process), then exits on its own", async () => {
    const s = await startProcess<{ url: string }>(fixture("fixed-reply-server.mjs"), ["200", JSON.stringify(apiKeyBody)])
    const script = `import { AuthenticatedClient } from "bytekit-effect/client"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
const client = new AuthenticatedClient({ baseUrl: ${JSON.stringify(s.url)}, token: "${apiKey}" })
await client.warmUp()
console.log(getApiKey.sync("ak_1", client).id)`
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 })
    expect(output.trim()).toBe("ak_1")
    s.stop()
  })
})
