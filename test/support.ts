/**
 * What the tests share: a client layer over real sockets, a scripted server for faults, and the
 * line's `it` (@effect/vitest's in 1.x; in 2.x vitest's with `it.live`).
 */
import { Layer } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { BytekitClient, type BytekitClientOptions } from "#line/index.js"
import { FetchHttpClient } from "#line-test/http.js"

export { it } from "#line-test/line.js"

/** `BytekitClient` over fetch, pointed at `baseUrl`. */
export const clientLayer = (baseUrl: string, options: BytekitClientOptions = {}) =>
  BytekitClient.layer({ baseUrl, maxRetries: 0, ...options }).pipe(Layer.provide(FetchHttpClient.layer))

/** One request as the scripted server saw it. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

/**
 * A real HTTP server that answers each request with the next step of a script (the last step
 * repeats), recording what it saw. For what the emulator never does: odd statuses, bad bodies.
 */
export const scriptedServer = async (
  ...script: Array<(req: IncomingMessage, res: ServerResponse, seen: Seen) => void>
) => {
  const seen: Array<Seen> = []
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const entry = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() }
      seen.push(entry)
      const step = script[Math.min(seen.length - 1, script.length - 1)]!
      step(req, res, entry)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}

/** A step answering JSON (or raw text) with a status and headers. */
export const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
(_req: IncomingMessage, res: ServerResponse) => {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(text)
}

/** A valid `ApiKeyResponse` body, for scripted answers. */
export const apiKeyBody = {
  id: "ak_1",
  name: "k",
  prefix: "sk_test_AbCd",
  environment: "test",
  created_at: "2026-01-01T00:00:00Z",
  last_used_at: null,
  revoked_at: null,
  reveal_available: true
}
