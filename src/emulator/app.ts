/**
 * The emulator's HTTP layer, independent of any server: routes read off the contract's
 * definition, authentication (API keys and Clerk sessions), rate limits, CORS, request decoding
 * and the error envelope. Every answer, framework faults included, is in Bytekit's envelope.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type Operation, type OperationName, operations } from "../contract/operations.js"
import { type Clerk, makeClerk } from "./clerk.js"
import { type Caller, Failure, type Handler, type Input, makeHandlers } from "./handlers.js"
import { type Environment, Store } from "./store.js"

/** A request as the emulator sees it: lower-case header names, the body as bytes. */
export interface EmulatorRequest {
  readonly method: string
  /** Path and query, e.g. `/v1/account/api-keys?include_revoked=true`. */
  readonly url: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Uint8Array | undefined
}

export interface EmulatorResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

export interface EmulatorOptions {
  /** `test` (default) issues `sk_test_` keys, as staging does; `live` issues `sk_live_`. */
  readonly environment?: Environment | undefined
  /** Requests per second per account; off (not enforced) unless set. */
  readonly rateLimit?: number | undefined
  /** Reveals per minute per account. Default 10; 0 turns the limit off. */
  readonly revealLimit?: number | undefined
  /** A file to keep state in across restarts. In memory when absent. */
  readonly dataFile?: string | undefined
  /** The `iss` of session tokens. */
  readonly issuer?: string | undefined
}

/** The largest request body accepted. */
export const maxBodyBytes = 1024 * 1024

/**
 * The users and accounts every emulator starts with.
 *
 * @example
 * ```ts
 * import { seed, startEmulator } from "bytekit-effect/emulator"
 * const emulator = await startEmulator()
 * const memberToken = await emulator.mintSessionToken(seed.memberUserId)
 * ```
 */
export const seed = {
  accountId: "acct_demo",
  ownerUserId: "user_owner",
  memberUserId: "user_member",
  otherAccountId: "acct_other",
  otherUserId: "user_other",
  /** A signed-in user who belongs to no account. */
  strangerUserId: "user_stranger"
} as const

/** Counts hits per key in fixed windows. */
class Window {
  private readonly counts = new Map<string, { start: number; count: number }>()
  constructor(readonly limit: number, readonly millis: number) {}

  hit(key: string, now: number): { readonly allowed: boolean; readonly remaining: number; readonly reset: number } {
    let entry = this.counts.get(key)
    if (entry === undefined || now - entry.start >= this.millis) {
      entry = { start: now - (now % this.millis), count: 0 }
      this.counts.set(key, entry)
    }
    entry.count++
    return {
      allowed: entry.count <= this.limit,
      remaining: Math.max(0, this.limit - entry.count),
      reset: Math.ceil((entry.start + this.millis) / 1000)
    }
  }
}

interface Route {
  readonly name: OperationName
  readonly operation: Operation
  readonly segments: ReadonlyArray<string>
  readonly decodeParams: (input: unknown) => Either.Either<{ readonly include_revoked?: boolean | undefined }, ParseResult.ParseError>
  readonly decodePayload: ((input: unknown) => Either.Either<{ readonly name?: string | undefined }, ParseResult.ParseError>) | undefined
  readonly encodeSuccess: (value: unknown) => unknown
}

/** The routes, read off the operations table. */
const routes: ReadonlyArray<Route> = Object.values(operations).map((operation) => ({
  name: operation.name,
  operation,
  segments: operation.path.split("/"),
  decodeParams: operation.urlParams === undefined
    ? () => Either.right({})
    : Schema.decodeUnknownEither(operation.urlParams as Schema.Schema<{ include_revoked?: boolean }, unknown>),
  decodePayload: operation.payload === undefined
    ? undefined
    : Schema.decodeUnknownEither(operation.payload as Schema.Schema<{ name?: string }, unknown>),
  encodeSuccess: operation.success === undefined
    ? () => undefined
    : Schema.encodeSync(operation.success as Schema.Schema<unknown, unknown>)
}))

/** The route and path id for a method and path; a path without the method gives the allowed ones. */
const match = (method: string, path: string): { route: Route; id: string } | { allowed: Array<string> } | undefined => {
  const segments = path.split("/")
  const allowed: Array<string> = []
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue
    let id = ""
    let matched = true
    for (let i = 0; i < segments.length; i++) {
      const expected = route.segments[i]!
      if (expected === ":id") id = segments[i]!
      else if (expected !== segments[i]) {
        matched = false
        break
      }
    }
    if (!matched) continue
    if (route.operation.method === method) return { route, id }
    allowed.push(route.operation.method)
  }
  return allowed.length > 0 ? { allowed } : undefined
}

const corsHeaders = (origin: string | undefined): Record<string, string> => ({
  "access-control-allow-origin": origin ?? "*",
  "access-control-expose-headers": "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After",
  vary: "Origin"
})

const envelope = (failure: Failure): string =>
  JSON.stringify({ error: { code: failure.code, message: failure.message, details: failure.details } })

const textDecoder = new TextDecoder("utf-8", { fatal: true })

const issueOf = (error: ParseResult.ParseError): string => ParseResult.TreeFormatter.formatErrorSync(error).slice(0, 500)

/** The emulator: state, Clerk stand-in, and the function that answers a request. */
export interface EmulatorApp {
  readonly store: Store
  readonly clerk: Clerk
  /** The bootstrap API key of the seeded account (kept across restarts with a data file). */
  readonly apiKey: string
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>
}

export const makeApp = async (options: EmulatorOptions = {}): Promise<EmulatorApp> => {
  const environment = options.environment ?? "test"
  const store = new Store(environment, options.dataFile)
  const clerk = await makeClerk(options.issuer ?? "https://clerk.bytekit.emulator")
  const handlers: Record<OperationName, Handler> = makeHandlers(store)
  const requests = new Window(options.rateLimit ?? 1000, 1000)
  const enforceRequests = options.rateLimit !== undefined
  const revealLimit = options.revealLimit ?? 10
  const reveals = new Window(revealLimit, 60_000)

  if (!store.restored) {
    store.createAccount({
      id: seed.accountId,
      name: "Demo Co",
      email: "owner@demo.example",
      owner: seed.ownerUserId,
      members: [seed.memberUserId]
    })
    store.createAccount({ id: seed.otherAccountId, name: "Other Inc", email: "owner@other.example", owner: seed.otherUserId })
  }
  // A restored state keeps its bootstrap key (recovered by decryption); a new one gets a fresh key.
  const bootstrapName = "Bootstrap key"
  const kept = store.list(seed.accountId, false).find((key) => key.name === bootstrapName && key.sealed !== null)
  const created = kept === undefined ? store.createKey(seed.accountId, bootstrapName) : undefined
  if (created === "limit_reached") throw new Error("the seeded account is at its key cap; use a fresh data file")
  const apiKey = kept === undefined ? created!.plaintext : store.reveal(kept)

  const authenticate = async (route: Route, authorization: string | undefined): Promise<Caller | Failure> => {
    const scheme = route.operation.sessionOnly ? "unauthenticated" : "unauthorized"
    const match = authorization === undefined ? null : /^Bearer ([^\s]+)$/i.exec(authorization.trim())
    if (match === null) return new Failure(401, scheme, "Missing or malformed Authorization header")
    const token = match[1]!
    if (token.startsWith("sk_")) {
      if (route.operation.sessionOnly) return new Failure(401, "unauthenticated", "This operation needs a Clerk session, not an API key")
      if (!token.startsWith(`sk_${environment}_`)) {
        return new Failure(401, "unauthorized", `This server accepts sk_${environment}_ keys only`)
      }
      const key = store.authenticate(token)
      const account = key === undefined ? undefined : store.account(key.account_id)
      if (key === undefined || key.revoked_at !== null || account === undefined) {
        return new Failure(401, "unauthorized", "Invalid or revoked API key")
      }
      return { kind: "apiKey", key, account }
    }
    const userId = await clerk.verify(token)
    if (userId === undefined) return new Failure(401, "unauthenticated", "Invalid or expired session token")
    const account = store.accountOfUser(userId)
    if (account === undefined) return new Failure(403, "forbidden", "You are not a member of any account")
    return { kind: "session", userId, account }
  }

  /** Reads the body of a route that takes one: JSON of the operation's payload schema. */
  const readPayload = (route: Route, request: EmulatorRequest): Input["payload"] | Failure => {
    if (route.decodePayload === undefined) return undefined
    const body = request.body ?? new Uint8Array()
    if (body.length > maxBodyBytes) return new Failure(413, "payload_too_large", "The request body is over 1 MiB")
    if (body.length === 0) {
      return route.operation.payloadOptional ? {} : new Failure(400, "invalid_request", "A JSON body is required")
    }
    const contentType = request.headers["content-type"] ?? ""
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return new Failure(400, "invalid_request", "Content-Type must be application/json")
    }
    let json: unknown
    try {
      json = JSON.parse(textDecoder.decode(body))
    } catch {
      return new Failure(400, "invalid_request", "The body is not valid JSON")
    }
    return Either.match(route.decodePayload(json), {
      onLeft: (error) => new Failure(400, "invalid_request", "The body does not match the schema", { issue: issueOf(error) }),
      onRight: (payload) => payload
    })
  }

  /** 429 with Retry-After: the seconds until the window resets. */
  const tooMany = (reset: number, now: number, what: string) => {
    const wait = Math.max(1, reset - Math.floor(now / 1000))
    return new Failure(429, "rate_limited", `Too many ${what}. Retry after ${wait} seconds.`, {}, { "retry-after": String(wait) })
  }

  const answer = async (request: EmulatorRequest, path: string, query: string): Promise<EmulatorResponse> => {
    const headers: Record<string, string> = {}
    const fail = (failure: Failure) => ({
      status: failure.status,
      headers: { ...headers, ...failure.headers, "content-type": "application/json" },
      body: envelope(failure)
    })

    const found = match(request.method, path)
    if (found === undefined) return fail(new Failure(404, "not_found", "No such route"))
    if ("allowed" in found) {
      return fail(new Failure(405, "method_not_allowed", `Use ${found.allowed.join(", ")}`, {}, { allow: found.allowed.join(", ") }))
    }
    const { route } = found

    const caller = await authenticate(route, request.headers["authorization"])
    const now = Date.now()
    const window = requests.hit(caller instanceof Failure ? "anonymous" : caller.account.id, now)
    headers["x-ratelimit-limit"] = String(requests.limit)
    headers["x-ratelimit-remaining"] = String(window.remaining)
    headers["x-ratelimit-reset"] = String(window.reset)
    if (enforceRequests && !window.allowed) return fail(tooMany(window.reset, now, "requests"))
    if (caller instanceof Failure) return fail(caller)

    let id: string
    try {
      id = decodeURIComponent(found.id)
    } catch {
      return fail(new Failure(400, "invalid_request", "The path is not validly percent-encoded"))
    }
    const params = route.decodeParams(Object.fromEntries(new URLSearchParams(query)))
    if (Either.isLeft(params)) {
      return fail(new Failure(400, "invalid_request", "Invalid query parameters", { issue: issueOf(params.left) }))
    }
    const payload = readPayload(route, request)
    if (payload instanceof Failure) return fail(payload)

    if (route.name === "revealApiKey" && revealLimit > 0) {
      const reveal = reveals.hit(caller.account.id, now)
      if (!reveal.allowed) return fail(tooMany(reveal.reset, now, "reveals"))
    }

    const result = handlers[route.name]({ caller, id, params: params.right, payload })
    if (result instanceof Failure) return fail(result)
    if (result.status === 204) return { status: 204, headers, body: "" }
    return {
      status: result.status,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(route.encodeSuccess(result.body))
    }
  }

  /** The emulator's own routes, outside the contract: session minting and the JWKS. */
  const devRoute = async (request: EmulatorRequest, path: string): Promise<EmulatorResponse | undefined> => {
    if (path === "/_emulator/jwks.json" && request.method === "GET") {
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(clerk.jwks) }
    }
    if (path === "/_emulator/session" && request.method === "POST") {
      let userId: string = seed.ownerUserId
      try {
        const text = request.body && request.body.length > 0 ? textDecoder.decode(request.body) : "{}"
        const parsed = JSON.parse(text) as { user_id?: unknown }
        if (typeof parsed.user_id === "string" && parsed.user_id !== "") userId = parsed.user_id
      } catch {
        return { status: 400, headers: { "content-type": "application/json" }, body: envelope(new Failure(400, "invalid_request", "The body is not valid JSON")) }
      }
      const token = await clerk.mint(userId)
      return {
        status: 201,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: JSON.stringify({ token, user_id: userId, account_id: store.accountOfUser(userId)?.id ?? null })
      }
    }
    return undefined
  }

  const handle = async (request: EmulatorRequest): Promise<EmulatorResponse> => {
    const origin = request.headers["origin"]
    if (request.method === "OPTIONS") {
      return {
        status: 204,
        headers: {
          ...corsHeaders(origin),
          "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "authorization, content-type",
          "access-control-max-age": "600"
        },
        body: ""
      }
    }
    let response: EmulatorResponse
    try {
      const queryAt = request.url.indexOf("?")
      const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt)
      const query = queryAt === -1 ? "" : request.url.slice(queryAt + 1)
      response = (path.startsWith("/_emulator/") ? await devRoute(request, path) : undefined) ??
        await answer(request, path, query)
    } catch {
      // A bug must not take the emulator down or leak a stack trace: answer 500 in the envelope.
      response = {
        status: 500,
        headers: { "content-type": "application/json" },
        body: envelope(new Failure(500, "internal_error", "The emulator failed to answer this request"))
      }
    }
    return { ...response, headers: { ...response.headers, ...corsHeaders(origin) } }
  }

  return { store, clerk, apiKey, handle }
}
