/**
 * Serving the emulator: over a real socket (node:http), or in memory as an `HttpClient`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { type EmulatorApp, type EmulatorOptions, type EmulatorRequest, makeApp, maxBodyBytes, seed } from "./app.js"

/**
 * A running emulator, for plain code.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulator {
  /** The base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string
  /** A fresh API key of the seeded account `acct_demo`. */
  readonly apiKey: string
  /** The seeded ids: accounts and users (owner, member, a user of another account, a user of none). */
  readonly seed: typeof seed
  /** A Clerk session token for a user (default: the owner of `acct_demo`), valid 60 seconds. */
  readonly mintSessionToken: (userId?: string) => Promise<string>
  /** Adds a key made before reveal existed (reveal answers 409 `reveal_unavailable`); returns its id. */
  readonly seedLegacyKey: (accountId?: string) => string
  /** Adds an account with its owner and a first API key. */
  readonly createAccount: (name?: string) => { readonly accountId: string; readonly userId: string; readonly apiKey: string }
  /** The app behind the server, to call in memory. */
  readonly app: EmulatorApp
  /** Stops the server and closes its connections. */
  readonly stop: () => Promise<void>
}

/**
 * Options of `startEmulator`.
 *
 * @since 0.1.0
 * @category models
 */
export interface StartOptions extends EmulatorOptions {
  /** The port; 0 (default) picks a free one. */
  readonly port?: number | undefined
  /** The interface; default `127.0.0.1`. */
  readonly host?: string | undefined
}

let accounts = 0

/** The handle parts that do not depend on a socket. */
export const control = (app: EmulatorApp) => ({
  apiKey: app.apiKey,
  seed,
  app,
  mintSessionToken: (userId: string = seed.ownerUserId) => app.clerk.mint(userId),
  seedLegacyKey: (accountId: string = seed.accountId) => {
    const created = app.store.createKey(accountId, "Legacy key", false)
    if (created === "limit_reached") throw new Error(`account ${accountId} is at its key cap`)
    return created.record.id
  },
  createAccount: (name = `Account ${++accounts}`) => {
    const userId = `user_${Math.random().toString(36).slice(2, 12)}`
    const account = app.store.createAccount({ name, email: `${userId}@example.com`, owner: userId })
    const created = app.store.createKey(account.id, "First key")
    if (created === "limit_reached") throw new Error("unreachable: a new account has no keys")
    return { accountId: account.id, userId, apiKey: created.plaintext }
  }
})

const readBody = (req: IncomingMessage): Promise<Uint8Array | "too_large"> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        // Stop buffering; the rest is drained and dropped.
        req.removeAllListeners("data")
        req.resume()
        resolve("too_large")
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)))
    req.on("error", reject)
  })

const serve = (app: EmulatorApp) => async (req: IncomingMessage, res: ServerResponse) => {
  try {
    const body = await readBody(req)
    const headers: Record<string, string | undefined> = {}
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value
    const request: EmulatorRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers,
      // An over-limit body is answered as one byte more than the limit, without keeping it.
      body: body === "too_large" ? new Uint8Array(maxBodyBytes + 1) : body
    }
    const response = await app.handle(request)
    res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) })
    res.end(response.body)
  } catch {
    if (!res.headersSent) res.writeHead(400, { "content-type": "application/json", connection: "close" })
    res.end(JSON.stringify({ error: { code: "invalid_request", message: "The request could not be read", details: {} } }))
  }
}

/**
 * Starts an emulator on a real socket.
 *
 * @example
 * ```ts
 * import { startEmulator } from "bytekit-effect/emulator"
 * const emulator = await startEmulator({ port: 4010 })
 * console.log(emulator.url)
 * await emulator.stop()
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const startEmulator = async (options: StartOptions = {}): Promise<Emulator> => {
  const app = await makeApp(options)
  const server = createServer({ keepAliveTimeout: 5_000, maxHeaderSize: 64 * 1024 }, serve(app))
  // Requests node:http cannot parse still get an answer in the envelope.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW"
    const body = JSON.stringify({
      error: tooLarge
        ? { code: "request_header_fields_too_large", message: "The request line or headers are over 64 KiB", details: {} }
        : { code: "invalid_request", message: "The request is not valid HTTP", details: {} }
    })
    socket.end(
      `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n` +
        `content-type: application/json\r\naccess-control-allow-origin: *\r\nconnection: close\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  return {
    ...control(app),
    url: `http://${host}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        app.store.flush()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/**
 * An `HttpClient` that answers every request from the emulator app, without sockets (what
 * `layerInMemory` provides).
 *
 * @example
 * ```ts
 * import { startEmulator, inMemoryHttpClient } from "bytekit-effect/emulator"
 * const emulator = await startEmulator()
 * const httpClient = inMemoryHttpClient(emulator.app)
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const inMemoryHttpClient = (app: EmulatorApp): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.tryPromise({
      try: async () => {
        const body = request.body._tag === "Uint8Array"
          ? request.body.body
          : request.body._tag === "Empty"
          ? undefined
          : new Uint8Array(await new Response(request.body._tag === "Raw" ? request.body.body as BodyInit : null).arrayBuffer())
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
        const response = await app.handle({ method: request.method, url: url.pathname + url.search, headers, body })
        return new Response(response.status === 204 ? null : response.body, {
          status: response.status,
          headers: response.headers
        })
      },
      catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
    }).pipe(Effect.map((response) => HttpClientResponse.fromWeb(request, response)))
  )
