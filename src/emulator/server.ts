/**
 * Serving the emulator over a real socket (node:http). No Effect: in memory, `app.handle` answers
 * a request without sockets, and each SDK line wraps it in its own `HttpClient` (see layers.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
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
  /**
   * Bytes buffered across all request bodies being read; a body past it is answered 503
   * `service_unavailable` with `Retry-After`, and its connection closed. Default 32 MiB.
   */
  readonly maxBufferedBytes?: number | undefined
  /** Milliseconds to receive a request's headers; then 408 `request_timeout`. Default 10 000. */
  readonly headersTimeout?: number | undefined
  /** Milliseconds to receive a whole request, body included; then 408 `request_timeout`. Default 30 000. */
  readonly requestTimeout?: number | undefined
}

/** The defaults of the server's limits. */
export const serverDefaults = {
  maxBufferedBytes: 32 * 1024 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000
} as const

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

/** One request's share of the body budget. */
interface Holder {
  bytes: number
  readonly since: number
}

/**
 * The bytes held by request bodies being read, across all connections: many slow bodies cannot
 * add up to more than `max`.
 */
class BodyBudget {
  private used = 0
  /** The holders, oldest first (a Set keeps insertion order). */
  private readonly holders = new Set<Holder>()
  constructor(readonly max: number, private readonly timeout: number) {}

  take(holder: Holder, bytes: number): boolean {
    if (this.used + bytes > this.max) return false
    this.used += bytes
    holder.bytes += bytes
    this.holders.add(holder)
    return true
  }

  release(holder: Holder): void {
    this.used -= holder.bytes
    holder.bytes = 0
    this.holders.delete(holder)
  }

  /** Seconds until the oldest body in flight has finished or timed out, so its bytes are free. */
  retryAfter(now: number): number {
    const oldest = this.holders.values().next().value as Holder | undefined
    return Math.max(1, Math.ceil(((oldest?.since ?? now) + this.timeout - now) / 1000))
  }
}

type Body = Uint8Array | "too_large" | "over_budget" | "aborted"

/**
 * Reads a body within the budget: a declared length is reserved before any byte is read, a
 * chunked body is counted as it arrives; over 1 MiB it is drained unkept.
 */
const readBody = (req: IncomingMessage, budget: BodyBudget, holder: Holder): Promise<Body> =>
  new Promise((resolve) => {
    const length = req.headers["content-length"]
    const declared = length === undefined ? undefined : Number(length)
    let tooLarge = declared !== undefined && declared > maxBodyBytes
    if (declared !== undefined && declared > 0 && !tooLarge && !budget.take(holder, declared)) {
      resolve("over_budget")
      return
    }
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > maxBodyBytes) {
        // Stop keeping it; the rest is drained and dropped (requestTimeout bounds how long).
        tooLarge = true
        chunks.length = 0
        budget.release(holder)
        return
      }
      if (declared === undefined && !budget.take(holder, chunk.length)) {
        req.removeAllListeners("data")
        resolve("over_budget")
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(tooLarge ? "too_large" : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)))
    // The client went away, or node:http timed the request out (the clientError handler answers 408).
    req.on("error", () => resolve("aborted"))
    req.on("close", () => resolve("aborted"))
  })

const envelopeOf = (code: string, message: string) => JSON.stringify({ error: { code, message, details: {} } })

const serve = (app: EmulatorApp, budget: BodyBudget) => async (req: IncomingMessage, res: ServerResponse) => {
  const holder: Holder = { bytes: 0, since: Date.now() }
  try {
    const body = await readBody(req, budget, holder)
    if (body === "aborted") return
    if (body === "over_budget") {
      const text = envelopeOf("service_unavailable", "The emulator is holding too many request bodies; retry later")
      res.writeHead(503, {
        ...app.edgeHeaders(req.url, req.headers.origin),
        "content-type": "application/json",
        "retry-after": String(budget.retryAfter(Date.now())),
        // Closing drops whatever of the body is still coming, without reading it.
        connection: "close",
        "content-length": Buffer.byteLength(text)
      })
      res.end(text)
      return
    }
    const headers: Record<string, string | undefined> = {}
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value
    const request: EmulatorRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers,
      body: body === "too_large" ? undefined : body,
      bodyTooLarge: body === "too_large"
    }
    const response = await app.handle(request)
    res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) })
    res.end(response.body)
  } catch {
    if (!res.headersSent) res.writeHead(400, { "content-type": "application/json", connection: "close" })
    res.end(envelopeOf("invalid_request", "The request could not be read"))
  } finally {
    budget.release(holder)
  }
}

/** Answers node:http gives before the app sees a request: unparsable, headers too large, too slow. */
const clientErrorAnswer = (code: string | undefined): readonly [number, string, string, string] =>
  code === "HPE_HEADER_OVERFLOW"
    ? [431, "Request Header Fields Too Large", "request_header_fields_too_large", "The request line or headers are over 64 KiB"]
    : code === "ERR_HTTP_REQUEST_TIMEOUT"
    ? [408, "Request Timeout", "request_timeout", "The request was not received in time"]
    : [400, "Bad Request", "invalid_request", "The request is not valid HTTP"]

const positive = (name: string, value: number) => {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}`)
  return value
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
  const requestTimeout = positive("requestTimeout", options.requestTimeout ?? serverDefaults.requestTimeout)
  const headersTimeout = positive("headersTimeout", options.headersTimeout ?? Math.min(serverDefaults.headersTimeout, requestTimeout))
  if (headersTimeout > requestTimeout) throw new Error(`headersTimeout (${headersTimeout}) must not exceed requestTimeout (${requestTimeout})`)
  const budget = new BodyBudget(positive("maxBufferedBytes", options.maxBufferedBytes ?? serverDefaults.maxBufferedBytes), requestTimeout)
  const app = await makeApp(options)
  const server = createServer({
    keepAliveTimeout: 5_000,
    maxHeaderSize: 64 * 1024,
    headersTimeout,
    requestTimeout,
    // node:http checks these timeouts on this interval (30 s by default): a quarter of the shorter, at most 1 s.
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(headersTimeout / 4)))
  }, serve(app, budget))
  // Requests node:http refuses (unparsable, headers too large, too slow) still get an answer in the envelope.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    // An answer already under way cannot be followed by another on the same connection.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy()
      return
    }
    const [status, reason, code, message] = clientErrorAnswer(error.code)
    const body = envelopeOf(code, message)
    const headers = { ...app.edgeHeaders(undefined, undefined), "content-type": "application/json", connection: "close" }
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("") +
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
