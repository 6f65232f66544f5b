/**
 * What the 2.x tests share: a client layer over real sockets, a scripted server for faults, and
 * `it.live` (plain vitest running an Effect: @effect/vitest 4 needs vitest 5 and Node 22).
 */
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { it as vitestIt } from "vitest"
import { BytekitClient, type BytekitClientOptions } from "../src/index.js"

/**
 * vitest's `it`, plus `it.live`: runs the Effect a test returns with the live clock, as
 * @effect/vitest's `it.live` (whose 4.x needs vitest 5 and Node 22).
 */
export const it: {
  (name: string, fn: () => unknown, timeout?: number): void
  readonly live: <A, E>(name: string, self: () => Effect.Effect<A, E>, timeout?: number) => void
  readonly each: <T>(cases: ReadonlyArray<T>) => (name: string, fn: (value: T) => unknown, timeout?: number) => void
} = Object.assign(
  (name: string, fn: () => unknown, timeout?: number) => vitestIt(name, fn as () => Promise<void>, timeout),
  {
    live: <A, E>(name: string, self: () => Effect.Effect<A, E>, timeout?: number) =>
      vitestIt(name, () => Effect.runPromise(self()).then(() => undefined), timeout),
    each: <T>(cases: ReadonlyArray<T>) => (name: string, fn: (value: T) => unknown, timeout?: number) =>
      vitestIt.each(cases as Array<T>)(name, fn as (value: T) => Promise<void>, timeout)
  }
)

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
