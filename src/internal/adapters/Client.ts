/**
 * `Client` and `AuthenticatedClient`: the openapi-python-client client objects, in TypeScript, for
 * code that does not use Effect. Each holds a runtime with a `BytekitClient` built from its options,
 * and reads `BYTEKIT_API_KEY` and `BYTEKIT_BASE_URL` from the environment for what they leave out,
 * as `BytekitClient.layerConfig` does.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import {
  decodeDuration,
  type DurationInput,
  FetchFunction,
  fetchLayer,
  type HttpClient
} from "#line/internal/effect.js"
import {
  BytekitClient,
  type BytekitClientOptions,
  checkAuthHeader,
  checkSecret,
  defaultBaseUrl,
  fetchToken,
  plainHttpWarning,
  type Secret
} from "../client/BytekitClient.js"
import type { RetryPolicy } from "../client/retry.js"
import { runCall } from "../client/runCall.js"
import { type Call, type CallOptions, type RawResponse, withCallOptions } from "../client/send.js"
import type { Result } from "../../core/result.js"
import { InvalidInput } from "../../contract/errors.js"
import { baseUrlProblem } from "../../core/base-url-hint.js"
import { rejection } from "./wire.js"
import * as NodeHttpClient from "../client/NodeHttpClient.js"
import { nodeHttpModules } from "../../core/node-transport.js"

/**
 * Options of `Client`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** Default `BYTEKIT_BASE_URL` from the environment when it is set (and not empty), else `https://api.bytekit.com`. */
  readonly baseUrl?: string | undefined
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Per-attempt timeout: milliseconds or a duration such as `"5 seconds"`. Default 60 s. */
  readonly timeout?: DurationInput | undefined
  /**
   * Follow 301/302/303/307/308 redirects (at most 5). Default false, as in the Python SDK: a 3xx
   * is an undocumented status. The SDK follows them itself: the token and `secretHeaders` never go
   * to another origin, and https never goes to http.
   */
  readonly followRedirects?: boolean | undefined
  /** Names of `headers` whose values are secret: never sent to another origin, redacted in spans. */
  readonly secretHeaders?: ReadonlyArray<string> | undefined
  /** The most bytes of a response body read; past it, `ResponseTooLarge`. Default 8 MiB. */
  readonly maxResponseBytes?: number | undefined
  /** Reject with `UnexpectedStatus` on an undocumented status instead of resolving `undefined`. */
  readonly raiseOnUnexpectedStatus?: boolean | undefined
  /** Retries after the first attempt. Default 2; see the README for what is retried. */
  readonly maxRetries?: number | undefined
  /** Backoff settings. */
  readonly retry?: Partial<RetryPolicy> | undefined
  /** A `fetch` to send requests with (a proxy agent, a test double). Not usable by the sync forms. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** An Effect `HttpClient` layer to send requests with (undici, the in-memory emulator). Not usable by the sync forms. */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient> | undefined
}

/**
 * A token: a string or `Redacted`, or a function returning one (or a Promise of one), called
 * per request, as Clerk session tokens need.
 *
 * @since 0.1.0
 * @category models
 */
export type Token = Secret | (() => Secret | PromiseLike<Secret>)

/**
 * Options of `AuthenticatedClient`.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthenticatedClientOptions extends ClientOptions {
  /**
   * The API key or session token. Default `BYTEKIT_API_KEY` from the environment; when that is not
   * set (or empty) either, every call fails with `InvalidInput` naming the variable and the fix.
   */
  readonly token?: Token | undefined
  /** Precedes the token in the auth header, without control characters. Default `"Bearer"`; `""` sends the token alone. */
  readonly prefix?: string | undefined
  /** The header carrying the token, an HTTP token (RFC 9110). Default `"Authorization"`. */
  readonly authHeaderName?: string | undefined
  /**
   * `console.warn` once per client when an `http://` base URL to a host that is not loopback would
   * send the token unencrypted. Default true.
   */
  readonly warnOnPlainHttp?: boolean | undefined
}

/**
 * The options of a client as the sync forms' worker receives them: plain data, the token resolved.
 *
 * @since 0.1.0
 * @category internals
 */
export interface PlainClientOptions {
  readonly baseUrl: string
  readonly headers: Readonly<Record<string, string>>
  readonly timeout: DurationInput | undefined
  readonly followRedirects: boolean
  readonly secretHeaders: ReadonlyArray<string> | undefined
  readonly maxResponseBytes: number | undefined
  readonly maxRetries: number | undefined
  readonly retry: Partial<RetryPolicy> | undefined
  readonly token: string | undefined
  readonly prefix: string
  readonly authHeaderName: string
}

/** A timeout as milliseconds when it is a duration, else as given (the worker refuses it as the client would). */
const toMillis = (timeout: DurationInput | undefined): DurationInput | undefined => {
  if (timeout === undefined) return undefined
  const duration = decodeDuration(timeout)
  return duration === undefined ? timeout : Duration.toMillis(duration)
}

/**
 * What a client read from the environment: `BYTEKIT_BASE_URL` and `BYTEKIT_API_KEY`, each undefined
 * when not set or empty (`export BYTEKIT_API_KEY=` clears it, as Effect 4's environment provider
 * reads it), the key kept `Redacted` from the moment it is read. `readable` is false where there is
 * no environment to read (a browser) or the runtime refuses it (Deno without `--allow-env`).
 */
interface Environment {
  readonly readable: boolean
  readonly baseUrl: string | undefined
  readonly apiKey: Redacted.Redacted<string> | undefined
}

/** Reads the environment where there is one, never throwing: `process` may be missing or guarded. */
const readEnvironment = (): Environment => {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    if (env === undefined || env === null) return { readable: false, baseUrl: undefined, apiKey: undefined }
    const baseUrl = env["BYTEKIT_BASE_URL"]
    const apiKey = env["BYTEKIT_API_KEY"]
    return {
      readable: true,
      baseUrl: typeof baseUrl === "string" && baseUrl !== "" ? baseUrl : undefined,
      apiKey: typeof apiKey === "string" && apiKey !== "" ? Redacted.make(apiKey) : undefined
    }
  } catch {
    // Deno without --allow-env throws on the read (NotCapable), as may a sandbox's proxy.
    return { readable: false, baseUrl: undefined, apiKey: undefined }
  }
}

/** The failure of a call when no token was given and the environment has none. Names the variable, never a value. */
const missingToken = (environment: Environment): InvalidInput =>
  environment.readable
    ? new InvalidInput({
      field: "BYTEKIT_API_KEY",
      message: "BYTEKIT_API_KEY is not set: export it, or pass token to AuthenticatedClient"
    })
    : new InvalidInput({
      field: "token",
      message: "No token, and this runtime has no environment to read BYTEKIT_API_KEY from " +
        "(on Deno, run with --allow-env=BYTEKIT_API_KEY,BYTEKIT_BASE_URL): pass token to AuthenticatedClient"
    })

/** What the SDK reads of a client and its users do not: `protected` members, reached through the functions below. */
interface ClientInternals {
  runtime(): ManagedRuntime.ManagedRuntime<BytekitClient, InvalidInput>
  plainOptions(): PlainClientOptions
}

/**
 * A client's runtime (the async forms run on it), built on first use. Not a public method: the
 * runtime is the SDK's to use (a computed symbol key would do too, but keeps the class out of
 * tree shaking).
 *
 * @since 0.1.0
 * @category internals
 */
export const runtimeOf = (client: Client): ManagedRuntime.ManagedRuntime<BytekitClient, InvalidInput> =>
  (client as unknown as ClientInternals).runtime()

/**
 * A client's options as plain data, what the sync forms' worker rebuilds it from.
 *
 * @since 0.1.0
 * @category internals
 */
export const plainOptionsOf = (client: Client): PlainClientOptions => (client as unknown as ClientInternals).plainOptions()

/**
 * How `Client.warmUp` starts the sync forms' worker: set by blocking.ts when it loads.
 *
 * @since 0.1.0
 * @category internals
 */
export const syncWarmUp: { start?: (() => Promise<void>) | undefined } = {}

/**
 * A client without credentials. Without `baseUrl`, it reads `BYTEKIT_BASE_URL` from the
 * environment (where there is one), else talks to `https://api.bytekit.com`.
 *
 * Options are checked, and the environment read, at the first call, not here: constructing a
 * client never throws, and every problem arrives where calls fail (a rejection of the async forms,
 * a throw of the sync forms) as a tagged `InvalidInput`.
 *
 * @example
 * ```ts
 * import { Client } from "bytekit-effect/client"
 * const staging = new Client({ baseUrl: "https://api-stg.bytekit.com", timeout: "10 seconds" })
 * const fromEnvironment = new Client() // BYTEKIT_BASE_URL if set, else https://api.bytekit.com
 * ```
 * @since 0.1.0
 * @category clients
 */
export class Client {
  #runtime: ManagedRuntime.ManagedRuntime<BytekitClient, InvalidInput> | undefined
  /** What the environment said, read at the first call that needed it; `dispose` forgets it. */
  #environment: Environment | undefined

  readonly options: ClientOptions

  constructor(options: ClientOptions = {}) {
    this.options = options
  }

  /** Whether an undocumented status rejects with `UnexpectedStatus`. */
  get raiseOnUnexpectedStatus(): boolean {
    return this.options.raiseOnUnexpectedStatus === true
  }

  /** A copy whose options are these with `changes` applied. */
  protected copy(changes: Partial<ClientOptions>): this {
    const Self = this.constructor as new(options: ClientOptions) => this
    return new Self({ ...this.options, ...changes })
  }

  /**
   * A copy that also sends `headers`.
   *
   * @example
   * ```ts
   * import { Client } from "bytekit-effect/client"
   * const traced = new Client().withHeaders({ "x-trace-id": "abc" })
   * ```
   */
  withHeaders(headers: Readonly<Record<string, string>>): this {
    return this.copy({ headers: { ...this.options.headers, ...headers } })
  }

  /**
   * A copy with another per-attempt timeout.
   *
   * @example
   * ```ts
   * import { Client } from "bytekit-effect/client"
   * const quick = new Client().withTimeout("2 seconds")
   * ```
   */
  withTimeout(timeout: DurationInput): this {
    return this.copy({ timeout })
  }

  /**
   * The environment, read once (at the first call that needs it) and kept for the client's life,
   * so the async forms' runtime and the sync forms' worker see the same values. A read that fails
   * a call (no key, a bad base URL) is not kept: the next call reads again.
   */
  #readEnvironment(): Environment {
    return this.#environment ??= readEnvironment()
  }

  /**
   * The base URL: the option when given (checked where the runtime is built, field `baseUrl`),
   * else `BYTEKIT_BASE_URL` (checked here, field `BYTEKIT_BASE_URL`, its value and the likely fix
   * shown: a URL is not a secret, and the hint never shows one that looks like a key), else
   * undefined for the default. Throws `InvalidInput`.
   */
  protected resolvedBaseUrl(): string | undefined {
    if (this.options.baseUrl !== undefined) return this.options.baseUrl
    const { baseUrl } = this.#readEnvironment()
    if (baseUrl === undefined) return undefined
    const problem = baseUrlProblem(baseUrl, "BYTEKIT_BASE_URL")
    if (problem !== undefined) {
      this.#environment = undefined
      throw new InvalidInput({ field: "BYTEKIT_BASE_URL", message: problem })
    }
    return baseUrl
  }

  /**
   * `BYTEKIT_API_KEY`, `Redacted`; when it is not set (or empty), `InvalidInput` naming the variable
   * and the fix, never a value. Throws.
   */
  protected environmentToken(): Redacted.Redacted<string> {
    const environment = this.#readEnvironment()
    if (environment.apiKey === undefined) {
      this.#environment = undefined
      throw missingToken(environment)
    }
    return environment.apiKey
  }

  /** The options of the Effect `BytekitClient` this client runs. */
  protected bytekitOptions(): BytekitClientOptions {
    const { followRedirects, headers, maxResponseBytes, maxRetries, retry, secretHeaders, timeout } = this.options
    return { baseUrl: this.resolvedBaseUrl(), followRedirects, headers, maxResponseBytes, maxRetries, retry, secretHeaders, timeout }
  }

  /** The runtime the async forms run on, built on first use. */
  protected runtime(): ManagedRuntime.ManagedRuntime<BytekitClient, InvalidInput> {
    if (this.#runtime === undefined) {
      const { fetch, httpClient } = this.options
      // Redirects are the SDK's to follow (send tells fetch not to), whatever followRedirects says.
      // On Node (found lazily, so a bundle never imports node:http) the SDK's own transport; else fetch.
      const modules = httpClient === undefined && fetch === undefined ? nodeHttpModules() : undefined
      const transport = httpClient ?? (modules !== undefined ? NodeHttpClient.layerWith(modules) : fetchLayer.pipe(
        Layer.provide(fetch === undefined ? Layer.empty : Layer.succeed(FetchFunction, fetch))
      ))
      this.#runtime = ManagedRuntime.make(BytekitClient.layer(this.bytekitOptions()).pipe(Layer.provide(transport)))
    }
    return this.#runtime
  }

  /** What the sync forms' worker needs, as plain data; refuses what cannot cross a thread. */
  protected plainOptions(): PlainClientOptions {
    if (this.options.fetch !== undefined || this.options.httpClient !== undefined) {
      throw new InvalidInput({
        field: this.options.fetch !== undefined ? "fetch" : "httpClient",
        message: "The sync forms cannot use a custom fetch or HttpClient layer: use asyncio / asyncioDetailed"
      })
    }
    return {
      baseUrl: this.resolvedBaseUrl() ?? defaultBaseUrl,
      headers: { ...this.options.headers },
      // As milliseconds: a Duration object would lose its prototype crossing the thread.
      timeout: toMillis(this.options.timeout),
      followRedirects: this.options.followRedirects === true,
      secretHeaders: this.options.secretHeaders === undefined ? undefined : [...this.options.secretHeaders],
      maxResponseBytes: this.options.maxResponseBytes,
      maxRetries: this.options.maxRetries,
      retry: this.options.retry,
      token: undefined,
      prefix: "Bearer",
      authHeaderName: "Authorization"
    }
  }

  /**
   * Starts the sync forms' worker thread now, so the first `sync` / `syncDetailed` call does not
   * wait for it to load (some hundred milliseconds). Resolves once it has loaded; does nothing
   * for the async forms, and never keeps the process alive. Node only.
   *
   * @example
   * ```ts
   * import { AuthenticatedClient } from "bytekit-effect/client"
   * const client = new AuthenticatedClient({ token: process.env.BYTEKIT_API_KEY! })
   * void client.warmUp() // at startup, long before the first sync call
   * ```
   */
  warmUp(): Promise<void> {
    try {
      // Registered by the sync forms' module, which every operation module loads: the Effect API's
      // bundle, which has Client but no sync form, carries no worker code.
      return syncWarmUp.start?.() ?? Promise.resolve()
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Frees the runtime and its connections. The client can be used again; it builds a new one,
   * reading the environment again for what its options leave out.
   *
   * @example
   * ```ts
   * import { Client } from "bytekit-effect/client"
   * const client = new Client()
   * await client.dispose()
   * ```
   */
  async dispose(): Promise<void> {
    const runtime = this.#runtime
    this.#runtime = undefined
    this.#environment = undefined
    await runtime?.dispose()
  }

  /** `await using client = new Client(...)` disposes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose()
  }
}

/**
 * A client that authenticates every request: `Authorization: Bearer <token>` by default.
 * The token may be a function, called per request (Clerk session tokens live about 60 seconds).
 * Without `token`, it reads `BYTEKIT_API_KEY` from the environment; without `baseUrl`,
 * `BYTEKIT_BASE_URL` (else `https://api.bytekit.com`). Options given always win; empty variables
 * count as not set. A key read from the environment is kept `Redacted`, like one passed in: never in
 * errors, logs or the client's inspect output.
 *
 * No key anywhere fails every call (all four forms) with `InvalidInput`, field `BYTEKIT_API_KEY`:
 * `BYTEKIT_API_KEY is not set: export it, or pass token to AuthenticatedClient`. A bad
 * `BYTEKIT_BASE_URL` fails them with `InvalidInput`, field `BYTEKIT_BASE_URL`, showing the value
 * and the likely fix (`did you mean http://localhost:4010?`).
 *
 * @example
 * ```ts
 * import { AuthenticatedClient } from "bytekit-effect/client"
 * import * as getAccount from "bytekit-effect/api/account/getAccount"
 *
 * // BYTEKIT_API_KEY=sk_test_... BYTEKIT_BASE_URL=http://localhost:4010 (the emulator), or neither for production
 * const client = new AuthenticatedClient()
 * const account = await getAccount.asyncio(client)
 *
 * const staging = new AuthenticatedClient({ baseUrl: "https://api-stg.bytekit.com", token: "sk_test_..." })
 * declare const clerk: { readonly session: { getToken: () => Promise<string> } } // Clerk's browser SDK
 * const dashboard = new AuthenticatedClient({ token: () => clerk.session.getToken() })
 * ```
 * @since 0.1.0
 * @category clients
 */
export class AuthenticatedClient extends Client {
  declare readonly options: AuthenticatedClientOptions
  #warned = false

  // Nothing is read or checked here: the environment is read, and a missing key reported, at the
  // first call. A client is often built at module load (a shared `client.ts`, a server's startup
  // module), before dotenv or a secret manager has filled the environment (ES imports run before
  // the importing module's `dotenv.config()`), or while a bundler or `next build` evaluates the
  // module with no secrets at all: failing there breaks code that would have worked, far from any
  // call. The call is also where every other option is already checked, so one `catch` (or
  // `isBytekitError`) sees every configuration problem as a tagged `InvalidInput`, a rejection of the
  // async forms and a throw of the sync forms alike, never a throw from `new` that code awaiting
  // Promises would not expect.
  constructor(options: AuthenticatedClientOptions = {}) {
    // Kept Redacted, so inspecting or serialising the client never shows the token.
    super({ ...options, token: typeof options.token === "string" ? Redacted.make(options.token) : options.token } as ClientOptions)
  }

  /** The token: the option when given (even a bad one: it is refused, not replaced), else `BYTEKIT_API_KEY`. */
  #token(): Token {
    return this.options.token ?? this.environmentToken()
  }

  /**
   * Checks the auth options (InvalidInput naming them as this client does, their values never
   * echoed) and gives the plain-http warning, once per client.
   */
  #checkAuth(): void {
    const invalid = checkAuthHeader(this.options.authHeaderName, this.options.prefix, { name: "authHeaderName", prefix: "prefix" })
    if (!invalid.ok) throw invalid.error
    if (!this.#warned && this.options.warnOnPlainHttp !== false) {
      const warning = plainHttpWarning(this.resolvedBaseUrl() ?? defaultBaseUrl)
      if (warning !== undefined) {
        this.#warned = true
        console.warn(warning)
      }
    }
  }

  protected override bytekitOptions(): BytekitClientOptions {
    this.#checkAuth()
    const token = this.#token()
    const { authHeaderName, prefix } = this.options
    let credential: Pick<BytekitClientOptions, "apiKey" | "sessionToken">
    if (typeof token === "function") {
      // Whatever the function does (throw, reject, answer a non-string) is InvalidInput naming `token`.
      credential = { sessionToken: fetchToken(token, "token") }
    } else {
      const checked = checkSecret(token, "token")
      if (!checked.ok) throw checked.error
      credential = { apiKey: checked.value }
    }
    // This client warned already, with console.warn: the runtime's logger stays quiet.
    return { ...super.bytekitOptions(), ...credential, authHeaderName, authPrefix: prefix, warnOnPlainHttp: false }
  }

  protected override plainOptions(): PlainClientOptions {
    this.#checkAuth()
    const source = this.#token()
    let token: unknown
    try {
      token = typeof source === "function" ? source() : source
    } catch {
      throw new InvalidInput({ field: "token", message: "the token source failed" })
    }
    if (typeof token === "object" && token !== null && "then" in token && !Redacted.isRedacted(token)) {
      // Nobody will await this token: keep its failure from surfacing as an unhandled rejection.
      Promise.resolve(token).catch(() => {})
      throw new InvalidInput({
        field: "token",
        message: "The sync forms need a token now: pass a string, or a function that returns one synchronously"
      })
    }
    const checked = checkSecret(token, "token")
    if (!checked.ok) throw checked.error
    return {
      ...super.plainOptions(),
      token: Redacted.value(checked.value),
      prefix: this.options.prefix ?? "Bearer",
      authHeaderName: this.options.authHeaderName ?? "Authorization"
    }
  }
}

/**
 * Runs a call on a client's runtime through `runCall`, the step the Effect operations run (span,
 * send, record, read), reading its response with `read`; rejects with the SDK's own error (or the
 * abort reason). What the async forms and the sync forms' worker both run.
 *
 * @since 0.1.0
 * @category internals
 */
export const runOn = async <A, E>(
  client: Client,
  call: Call,
  read: (response: RawResponse) => Result<A, E>,
  options: { readonly signal?: AbortSignal | undefined } & CallOptions = {}
): Promise<A> => {
  const { maxResponseBytes, maxRetries, signal, timeout } = options
  const effect = runCall(call, read)
  // No per-call fiber-local value when no per-call option is given.
  const withOptions = timeout === undefined && maxRetries === undefined && maxResponseBytes === undefined
    ? effect
    : effect.pipe(withCallOptions({ timeout, maxRetries, maxResponseBytes }))
  const exit = await runtimeOf(client).runPromiseExit(withOptions, signal === undefined ? undefined : { signal })
  if (Exit.isFailure(exit)) throw rejection(exit, signal)
  return exit.value
}

/**
 * A client from plain options, as the sync forms' worker rebuilds it.
 *
 * @since 0.1.0
 * @category internals
 */
export const fromPlainOptions = (options: PlainClientOptions): Client => {
  const common: ClientOptions = {
    baseUrl: options.baseUrl,
    headers: options.headers,
    timeout: options.timeout,
    followRedirects: options.followRedirects,
    secretHeaders: options.secretHeaders,
    maxResponseBytes: options.maxResponseBytes,
    maxRetries: options.maxRetries,
    retry: options.retry
  }
  return options.token === undefined
    ? new Client(common)
    : new AuthenticatedClient({
      ...common,
      token: options.token,
      prefix: options.prefix,
      authHeaderName: options.authHeaderName,
      // The calling thread's client warned already.
      warnOnPlainHttp: false
    })
}
