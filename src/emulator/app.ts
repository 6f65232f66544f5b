/**
 * The emulator's HTTP layer, independent of any server and of Effect: routes and request checks
 * read off the core's operations table, authentication (API keys and Clerk sessions), rate limits, CORS, request decoding
 * and the error envelope. Every answer, framework faults included, is in Bytekit's envelope.
 */
import { checkName, Problem } from "../core/checks.js"
import { type OperationName, type OperationSpec, operationSpecs } from "../core/operations.js"
import { type Clerk, makeClerk } from "./clerk.js"
import { type Caller, Failure, type Handler, type Input, makeHandlers } from "./handlers.js"
import { type Environment, plan, type StorageOptions, Store } from "./store.js"

/** A request as the emulator sees it: lower-case header names, the body as bytes. */
export interface EmulatorRequest {
  readonly method: string
  /** Path and query, e.g. `/v1/account/api-keys?include_revoked=true`. */
  readonly url: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Uint8Array | undefined
  /** The body was over `maxBodyBytes` and was dropped unread (answered 413 where a body is taken). */
  readonly bodyTooLarge?: boolean | undefined
}

export interface EmulatorResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

export interface EmulatorOptions extends StorageOptions {
  /** `test` (default) issues `sk_test_` keys, as staging does; `live` issues `sk_live_`. */
  readonly environment?: Environment | undefined
  /**
   * Requests per second per account, enforced (429 `rate_limited`) when set. Unset, the plan's
   * 10 per second is reported (plan and `X-RateLimit-*`) but not enforced.
   */
  readonly rateLimit?: number | undefined
  /** Reveals per minute per account. Default 10; 0 turns the limit off. */
  readonly revealLimit?: number | undefined
  /** A file to keep state in across restarts. In memory when absent. */
  readonly dataFile?: string | undefined
  /** The `iss` of session tokens. */
  readonly issuer?: string | undefined
  /**
   * Web origins (e.g. `https://dev.example:8443`) allowed to call the control endpoints
   * (`/_emulator/*`) from a browser, besides loopback (`http://localhost:*`, `http://127.0.0.1:*`,
   * `http://[::1]:*`).
   */
  readonly corsOrigins?: ReadonlyArray<string> | undefined
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

  /** The window's state without counting a hit (for answers that are not the caller's requests). */
  peek(key: string, now: number): { readonly remaining: number; readonly reset: number } {
    const entry = this.counts.get(key)
    const start = entry === undefined || now - entry.start >= this.millis ? now - (now % this.millis) : entry.start
    const count = entry === undefined || start !== entry.start ? 0 : entry.count
    return { remaining: Math.max(0, this.limit - count), reset: Math.ceil((start + this.millis) / 1000) }
  }
}

/** Why a request's query or body was refused: the `issue` its 400 carries in `details`. */
class Refused {
  constructor(readonly issue: string) {}
}

type Params = { readonly include_revoked?: boolean | undefined }
type Payload = { readonly name?: string | undefined }

interface Route {
  readonly name: OperationName
  readonly operation: OperationSpec
  readonly segments: ReadonlyArray<string>
  readonly decodeParams: (input: Readonly<Record<string, string>>) => Params | Refused
  readonly decodePayload: ((input: unknown) => Payload | Refused) | undefined
}

/** The query parameters an operation takes, checked; others are ignored. */
const paramsDecoder = (operation: OperationSpec) => (input: Readonly<Record<string, string>>): Params | Refused => {
  const params: Record<string, boolean> = {}
  for (const [name, kind] of Object.entries(operation.query ?? {})) {
    if (!Object.hasOwn(input, name)) continue
    const value = input[name]
    if (kind === "boolean" && value !== "true" && value !== "false") {
      return new Refused(`["${name}"]\n└─ Expected "true" | "false", actual ${JSON.stringify(value)}`)
    }
    params[name] = value === "true"
  }
  return params
}

/** The JSON body an operation takes, checked field by field; unknown fields are dropped. */
const payloadDecoder = (operation: OperationSpec) => {
  const body = operation.body
  if (body === undefined) return undefined
  return (input: unknown): Payload | Refused => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return new Refused(`Expected a JSON object, actual ${Array.isArray(input) ? "[]" : JSON.stringify(input)}`)
    }
    const payload: Record<string, string> = {}
    for (const [name, field] of Object.entries(body.fields)) {
      const value = (input as Record<string, unknown>)[name]
      if (!Object.hasOwn(input, name) || value === undefined) {
        if (field.required) return new Refused(`["${name}"]\n└─ is missing`)
        continue
      }
      const checked = checkName(value)
      if (checked instanceof Problem) return new Refused(`["${name}"]\n└─ ${checked.message}`)
      payload[name] = checked
    }
    return payload
  }
}

/** The routes, read off the operations table. */
const routes: ReadonlyArray<Route> = Object.values(operationSpecs).map((operation) => ({
  name: operation.name,
  operation,
  segments: operation.path.split("/"),
  decodeParams: paramsDecoder(operation),
  decodePayload: payloadDecoder(operation)
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

const exposeHeaders = "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After"

/** The Bytekit routes answer any origin: they need a bearer token a foreign page does not have. */
const apiCors = (origin: string | undefined): Record<string, string> => ({
  "access-control-allow-origin": origin ?? "*",
  "access-control-expose-headers": exposeHeaders,
  vary: "Origin"
})

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"])

/**
 * Whether an `Origin` header is a loopback web origin. Exact serialisation only, so look-alikes
 * (`http://localhost.evil.example`, paths, fragments, `null`) never pass.
 */
const isLoopbackOrigin = (origin: string): boolean => {
  try {
    const url = new URL(origin)
    return url.origin === origin && (url.protocol === "http:" || url.protocol === "https:") && loopbackHosts.has(url.hostname)
  } catch {
    return false
  }
}

/** A configured origin in its serialised form; anything that is not a bare web origin is refused at start. */
const normaliseOrigin = (origin: string): string => {
  let url: URL | undefined
  try {
    url = new URL(origin)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== origin.replace(/\/$/, "")) {
    throw new Error(`not a web origin (scheme://host[:port]): ${JSON.stringify(origin)}`)
  }
  return url.origin
}

/** JSON: the one body type of the control endpoints, since a cross-site form or text/plain POST cannot send it without a preflight. */
const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? "")

const envelope = (failure: Failure): string =>
  JSON.stringify({ error: { code: failure.code, message: failure.message, details: failure.details } })

const textDecoder = new TextDecoder("utf-8", { fatal: true })

const issueOf = (refused: Refused): string => refused.issue.slice(0, 500)

/** The emulator: state, Clerk stand-in, and the function that answers a request. */
export interface EmulatorApp {
  readonly store: Store
  readonly clerk: Clerk
  /** The bootstrap API key of the seeded account (kept across restarts with a data file). */
  readonly apiKey: string
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>
  /**
   * The CORS and `X-RateLimit-*` headers for an answer the server gives before the app sees the
   * request (408, 431, 503): the path's CORS policy and the anonymous window, uncounted.
   */
  readonly edgeHeaders: (url: string | undefined, origin: string | undefined) => Record<string, string>
}

export const makeApp = async (options: EmulatorOptions = {}): Promise<EmulatorApp> => {
  const environment = options.environment ?? "test"
  const store = new Store(environment, options)
  const clerk = await makeClerk(options.issuer ?? "https://clerk.bytekit.emulator")
  // One number: the plan getAccount reports, X-RateLimit-Limit and (when set) the enforced limit.
  const ratePerSecond = options.rateLimit ?? plan.rate_limit_per_sec
  const handlers: Record<OperationName, Handler> = makeHandlers(store, { ...plan, rate_limit_per_sec: ratePerSecond })
  const corsOrigins = new Set((options.corsOrigins ?? []).map(normaliseOrigin))
  const isAllowedOrigin = (origin: string) => corsOrigins.has(origin) || isLoopbackOrigin(origin)
  /** The control endpoints answer CORS to loopback and configured origins only. */
  const controlCors = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && isAllowedOrigin(origin)
      ? { "access-control-allow-origin": origin, "access-control-expose-headers": exposeHeaders, vary: "Origin" }
      : { vary: "Origin" }
  const requests = new Window(ratePerSecond, 1000)
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

  /** The caller; without a route (404, 405) only to count the request against the right window. */
  const authenticate = async (route: Route | undefined, authorization: string | undefined): Promise<Caller | Failure> => {
    const sessionOnly = route?.operation.sessionOnly === true
    const scheme = sessionOnly ? "unauthenticated" : "unauthorized"
    const match = authorization === undefined ? null : /^Bearer ([^\s]+)$/i.exec(authorization.trim())
    if (match === null) return new Failure(401, scheme, "Missing or malformed Authorization header")
    const token = match[1]!
    if (token.startsWith("sk_")) {
      if (sessionOnly) return new Failure(401, "unauthenticated", "This operation needs a Clerk session, not an API key")
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
    if (request.bodyTooLarge === true || body.length > maxBodyBytes) return new Failure(413, "payload_too_large", "The request body is over 1 MiB")
    if (body.length === 0) {
      return route.operation.body?.optional === true ? {} : new Failure(400, "invalid_request", "A JSON body is required")
    }
    if (!isJson(request.headers["content-type"])) {
      return new Failure(400, "invalid_request", "Content-Type must be application/json")
    }
    let json: unknown
    try {
      json = JSON.parse(textDecoder.decode(body))
    } catch {
      return new Failure(400, "invalid_request", "The body is not valid JSON")
    }
    const payload = route.decodePayload(json)
    return payload instanceof Refused
      ? new Failure(400, "invalid_request", "The body does not match the schema", { issue: issueOf(payload) })
      : payload
  }

  /** 429 with Retry-After (the seconds until the window resets) and that window's X-RateLimit-*. */
  const tooMany = (limit: number, reset: number, now: number, what: string) => {
    const wait = Math.max(1, reset - Math.floor(now / 1000))
    return new Failure(429, "rate_limited", `Too many ${what}. Retry after ${wait} seconds.`, {}, {
      "retry-after": String(wait),
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(reset)
    })
  }

  /** X-RateLimit-* of the anonymous window, uncounted: for answers outside the API (preflights, control, faults). */
  const anonymousRateHeaders = (now: number): Record<string, string> => {
    const window = requests.peek("anonymous", now)
    return {
      "x-ratelimit-limit": String(requests.limit),
      "x-ratelimit-remaining": String(window.remaining),
      "x-ratelimit-reset": String(window.reset)
    }
  }

  const answer = async (request: EmulatorRequest, path: string, query: string): Promise<EmulatorResponse> => {
    const headers: Record<string, string> = {}
    const fail = (failure: Failure) => ({
      status: failure.status,
      headers: { ...headers, ...failure.headers, "content-type": "application/json" },
      body: envelope(failure)
    })

    const found = match(request.method, path)

    // Every request counts against its caller's window, unknown routes and wrong methods included.
    const caller = await authenticate(found !== undefined && "route" in found ? found.route : undefined, request.headers["authorization"])
    const now = Date.now()
    const window = requests.hit(caller instanceof Failure ? "anonymous" : caller.account.id, now)
    headers["x-ratelimit-limit"] = String(requests.limit)
    headers["x-ratelimit-remaining"] = String(window.remaining)
    headers["x-ratelimit-reset"] = String(window.reset)
    if (enforceRequests && !window.allowed) return fail(tooMany(requests.limit, window.reset, now, "requests"))
    if (found === undefined) return fail(new Failure(404, "not_found", "No such route"))
    if ("allowed" in found) {
      return fail(new Failure(405, "method_not_allowed", `Use ${found.allowed.join(", ")}`, {}, { allow: found.allowed.join(", ") }))
    }
    if (caller instanceof Failure) return fail(caller)
    const { route } = found

    let id: string
    try {
      id = decodeURIComponent(found.id)
    } catch {
      return fail(new Failure(400, "invalid_request", "The path is not validly percent-encoded"))
    }
    const params = route.decodeParams(Object.fromEntries(new URLSearchParams(query)))
    if (params instanceof Refused) {
      return fail(new Failure(400, "invalid_request", "Invalid query parameters", { issue: issueOf(params) }))
    }
    const payload = readPayload(route, request)
    if (payload instanceof Failure) return fail(payload)

    if (route.name === "revealApiKey" && revealLimit > 0) {
      const reveal = reveals.hit(caller.account.id, now)
      if (!reveal.allowed) return fail(tooMany(revealLimit, reveal.reset, now, "reveals"))
    }

    const result = handlers[route.name]({ caller, id, params, payload })
    if (result instanceof Failure) return fail(result)
    if (result.status === 204) return { status: 204, headers, body: "" }
    return {
      status: result.status,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(result.body)
    }
  }

  const json = (status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse => ({
    status,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  const failed = (failure: Failure): EmulatorResponse => ({
    status: failure.status,
    headers: { ...failure.headers, "content-type": "application/json" },
    body: envelope(failure)
  })

  /** The control endpoints and their methods. */
  const controlRoutes: Record<string, string> = { "/_emulator/jwks.json": "GET", "/_emulator/session": "POST" }

  /**
   * The emulator's own routes, outside the contract: session minting and the JWKS. Minting takes
   * JSON only and refuses a browser's foreign Origin, so no web page can mint a session: not
   * cross-site (JSON needs a preflight, answered to loopback and configured origins only), nor
   * through DNS rebinding (the page's Origin is its own rebound name).
   */
  const controlRoute = async (request: EmulatorRequest, path: string): Promise<EmulatorResponse | undefined> => {
    const method = controlRoutes[path]
    if (method === undefined) return undefined
    if (request.method !== method) {
      return failed(new Failure(405, "method_not_allowed", `Use ${method}`, {}, { allow: method }))
    }
    if (path === "/_emulator/jwks.json") return json(200, clerk.jwks)
    const origin = request.headers["origin"]
    if (origin !== undefined && !isAllowedOrigin(origin)) {
      return failed(new Failure(403, "forbidden", "This origin may not mint sessions; start the emulator with --cors-origin <origin> to allow it"))
    }
    if (!isJson(request.headers["content-type"])) {
      return failed(new Failure(415, "unsupported_media_type", "POST /_emulator/session takes Content-Type: application/json"))
    }
    let userId: string = seed.ownerUserId
    try {
      const text = request.body && request.body.length > 0 ? textDecoder.decode(request.body) : "{}"
      const parsed = JSON.parse(text) as { user_id?: unknown } | null
      if (typeof parsed !== "object" || parsed === null) throw new Error("not an object")
      if (typeof parsed.user_id === "string" && parsed.user_id !== "") userId = parsed.user_id
    } catch {
      return failed(new Failure(400, "invalid_request", "The body is not a JSON object"))
    }
    const token = await clerk.mint(userId)
    return json(201, { token, user_id: userId, account_id: store.accountOfUser(userId)?.id ?? null }, { "cache-control": "no-store" })
  }

  /** A preflight: the path's CORS policy; allowed methods and headers only for an allowed origin. */
  const preflight = (request: EmulatorRequest, cors: Record<string, string>, control: boolean): EmulatorResponse => ({
    status: 204,
    headers: "access-control-allow-origin" in cors
      ? {
        "access-control-allow-methods": control ? "GET, POST, OPTIONS" : "GET, POST, PATCH, DELETE, OPTIONS",
        "access-control-allow-headers": control
          ? "content-type"
          : request.headers["access-control-request-headers"] ?? "authorization, content-type",
        "access-control-max-age": "600"
      }
      : {},
    body: ""
  })

  const corsFor = (path: string, origin: string | undefined) =>
    path.startsWith("/_emulator/") ? controlCors(origin) : apiCors(origin)

  const handle = async (request: EmulatorRequest): Promise<EmulatorResponse> => {
    const origin = request.headers["origin"]
    const queryAt = request.url.indexOf("?")
    const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt)
    const query = queryAt === -1 ? "" : request.url.slice(queryAt + 1)
    const cors = corsFor(path, origin)
    let response: EmulatorResponse
    try {
      response = request.method === "OPTIONS"
        ? preflight(request, cors, path.startsWith("/_emulator/"))
        : (path.startsWith("/_emulator/") ? await controlRoute(request, path) : undefined) ?? await answer(request, path, query)
    } catch {
      // A bug must not take the emulator down or leak a stack trace: answer 500 in the envelope.
      response = failed(new Failure(500, "internal_error", "The emulator failed to answer this request"))
    }
    // The contract: every response carries X-RateLimit-*; answers outside the API report the anonymous window.
    const rate = "x-ratelimit-limit" in response.headers ? {} : anonymousRateHeaders(Date.now())
    return { ...response, headers: { ...rate, ...response.headers, ...cors } }
  }

  const edgeHeaders = (url: string | undefined, origin: string | undefined): Record<string, string> => ({
    ...anonymousRateHeaders(Date.now()),
    ...corsFor(url === undefined ? "" : url.split("?")[0]!, origin)
  })

  return { store, clerk, apiKey, handle, edgeHeaders }
}
