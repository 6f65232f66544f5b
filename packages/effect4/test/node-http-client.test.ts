/**
 * (2.x only.) The Effect 4 `HttpClient` of `bytekit-effect/node` used as an ordinary client, through
 * `execute`: what the SDK falls back to when the client is wrapped (`httpSpans: true`) and what other
 * services built on `layerHttpClient` get. Over real sockets: bodies, cookies and status read as with
 * any `HttpClient`; a deadline or a size cap still closes the connection.
 */
import { Cause, Effect, Exit, Option } from "effect"
import * as HttpClient from "effect/http/HttpClient"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { describe, expect, it } from "vitest"
import { Account } from "#line/index.js"
import { layer, layerHttpClient } from "#line/node.js"
import { apiKeyBody } from "#line-test/support.js"

const apiKey = "sk_test_nodehttpclient1"

const server = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
  let closed = 0
  let requests = 0
  const srv = createServer((req, res) => {
    requests++
    handle(req, res)
  })
  srv.on("connection", (socket: Socket) => socket.on("close", () => closed++))
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    requests: () => requests,
    closedAtLeast: async (n: number) => {
      while (closed < n) await new Promise((resolve) => setTimeout(resolve, 5))
    },
    close: () => new Promise<void>((resolve) => {
      srv.close(() => resolve())
      srv.closeAllConnections()
    })
  }
}

const failure = <A, E>(exit: Exit.Exit<A, E>): any =>
  Exit.isFailure(exit) ? Option.getOrElse(Cause.findErrorOption(exit.cause), () => Cause.squash(exit.cause)) : undefined

describe("through execute, the Node client reads like any HttpClient", () => {
  it("status, headers, cookies, text and json of a response", async () => {
    const s = await server((_req, res) => {
      res.writeHead(201, { "content-type": "application/json", "set-cookie": ["a=1; Path=/", "b=2"], "x-kind": "test" })
      res.end(JSON.stringify({ ok: true }))
    })
    const exit = await Effect.runPromiseExit(
      Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${s.url}/thing?q=1`)
        const json = yield* response.json
        const text = yield* response.text
        return { status: response.status, kind: response.headers["x-kind"], cookies: response.cookies.cookies, json, text, url: response.url }
      }).pipe(Effect.provide(layerHttpClient))
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (Exit.isSuccess(exit)) {
      expect(exit.value).toMatchObject({ status: 201, kind: "test", json: { ok: true }, text: "{\"ok\":true}", url: `${s.url}/thing?q=1` })
      expect(Object.keys(exit.value.cookies).sort()).toEqual(["a", "b"])
    }
    await s.close()
  })

  it("a refused connection is an HttpClientError with a TransportError reason", async () => {
    const s = await server(() => {})
    const url = s.url
    await s.close()
    const exit = await Effect.runPromiseExit(
      Effect.flatMap(Effect.service(HttpClient.HttpClient), (client) => client.get(url)).pipe(Effect.provide(layerHttpClient))
    )
    expect(failure(exit)).toMatchObject({ _tag: "HttpClientError", reason: { _tag: "TransportError" } })
  })
})

describe("wrapped (httpSpans), the SDK still closes the connection on a deadline or past the cap", () => {
  it("a timeout is Timeout, and closes the connection", async () => {
    const s = await server(() => {})
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(Effect.provide(layer({ baseUrl: s.url, apiKey, maxRetries: 0, httpSpans: true, timeout: "100 millis" })))
    )
    expect(failure(exit)?._tag).toBe("Timeout")
    await s.closedAtLeast(1)
    await s.close()
  })

  it("a chunked body past the cap is ResponseTooLarge and its connection is closed", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024, 32)), 1)
      res.on("close", () => clearInterval(timer))
    })
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(Effect.provide(layer({ baseUrl: s.url, apiKey, maxRetries: 0, httpSpans: true, maxResponseBytes: 64 * 1024 })))
    )
    expect(failure(exit)?._tag).toBe("ResponseTooLarge")
    await s.closedAtLeast(1)
    await s.close()
  })

  it("an answer under the cap decodes", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(apiKeyBody))
    })
    const exit = await Effect.runPromiseExit(
      Account.getApiKey("ak_1").pipe(Effect.provide(layer({ baseUrl: s.url, apiKey, httpSpans: true })))
    )
    expect(Exit.isSuccess(exit) && exit.value.id).toBe("ak_1")
    expect(s.requests()).toBe(1)
    await s.close()
  })
})
