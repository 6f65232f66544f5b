/**
 * Redirects as the SDK follows them, never the transport: at most 5 hops; 307/308 re-send the
 * method and body, 303 (and 301/302 on POST) become a GET without body, as fetch does; credentials
 * never go to another origin, and https never goes down to http.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "../../core/result.js"
import {
  FetchRequestInit,
  type Headers,
  removeHeaders,
  updateContext
} from "#line/internal/effect.js"
import { RedirectRefused } from "../../contract/errors.js"

/**
 * The most redirects one attempt follows; the next is `RedirectRefused` (`tooManyRedirects`).
 *
 * @since 0.1.0
 * @category internals
 */
export const maxRedirects = 5

const followed = new Set([301, 302, 303, 307, 308])

/** Headers that describe a body: dropped with it when a redirect turns the request into a GET. */
const bodyHeaders = ["content-type", "content-length", "content-encoding", "content-language", "content-location"]

/** Headers that are credentials whatever the client's options say. */
const alwaysSecret = ["authorization", "proxy-authorization", "cookie"]

/**
 * The lower-case names of the headers that must never leave the base URL's origin: the auth
 * header (whatever its name), `Authorization`, `Proxy-Authorization`, `Cookie`, and the user's
 * `secretHeaders`.
 *
 * @since 0.1.0
 * @category internals
 */
export const secretHeaderNames = (authHeaderName: string, secretHeaders: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set([authHeaderName.toLowerCase(), ...alwaysSecret, ...secretHeaders.map((name) => name.toLowerCase())])
]

/**
 * One hop to take: where, with which method, whether the body goes again, and whether the
 * request has left the base URL's origin (so its credentials stay behind).
 *
 * @since 0.1.0
 * @category internals
 */
export interface Hop {
  readonly url: URL
  readonly method: string
  readonly keepBody: boolean
  readonly crossOrigin: boolean
}

/** Where a Location points, for an error: origin and path, never the query (it may carry a signature). */
const shown = (url: URL): string => url.origin + url.pathname

/**
 * The hop a 3xx asks for; `undefined` when it is not one to follow (not 301/302/303/307/308, or no
 * `Location`: the response is then the answer, as fetch does); `RedirectRefused` when it must not
 * be followed. `hops` is how many were followed before this one.
 *
 * @since 0.1.0
 * @category internals
 */
export const nextHop = (
  response: { readonly status: number; readonly headers: Headers.Headers },
  current: { readonly url: URL; readonly method: string; readonly crossOrigin: boolean },
  base: URL,
  hops: number,
  call: { readonly method: string; readonly url: string }
): Result.Result<Hop, RedirectRefused> | undefined => {
  const { status } = response
  const location = response.headers["location"]
  if (!followed.has(status) || location === undefined) return undefined
  const refuse = (reason: RedirectRefused["reason"], target: URL | undefined, why: string) =>
    Result.fail(
      new RedirectRefused({
        reason,
        status,
        method: call.method,
        url: call.url,
        location: target === undefined ? undefined : shown(target),
        message: `${call.method} ${call.url}: ${status} redirect not followed: ${why}`.slice(0, 200)
      })
    )
  let url: URL
  try {
    url = new URL(location, current.url)
  } catch {
    return refuse("badLocation", undefined, "its Location is not a URL")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return refuse("badLocation", undefined, `its Location is not http(s) but ${url.protocol}`)
  }
  if (current.url.protocol === "https:" && url.protocol === "http:") {
    return refuse("downgrade", url, "it goes from https to plain http")
  }
  if (hops >= maxRedirects) return refuse("tooManyRedirects", url, `more than ${maxRedirects} redirects`)
  url.hash = ""
  // As fetch: 303 is always a GET (but HEAD); 301/302 turn a POST into a GET.
  const toGet = (status === 303 && current.method !== "GET" && current.method !== "HEAD") ||
    ((status === 301 || status === 302) && current.method === "POST")
  return Result.succeed({
    url,
    method: toGet ? "GET" : current.method,
    keepBody: !toGet,
    // Once credentials are dropped they stay dropped, even if a later hop comes back.
    crossOrigin: current.crossOrigin || url.origin !== base.origin
  })
}

/**
 * The headers of a hop: those of the original request, less the body's when it has none, less
 * every secret once the request has left the origin.
 *
 * @since 0.1.0
 * @category internals
 */
export const hopHeaders = (headers: Headers.Headers, hop: Hop, secrets: ReadonlyArray<string>): Headers.Headers => {
  let result = headers
  result = removeHeaders(result, bodyHeaders)
  if (hop.crossOrigin) result = removeHeaders(result, secrets)
  return result
}

/**
 * The opaque redirect of a browser's `redirect: "manual"` (status 0): nothing to read, nowhere to go.
 *
 * @since 0.1.0
 * @category internals
 */
export const opaqueRedirect = (call: { readonly method: string; readonly url: string }): RedirectRefused =>
  new RedirectRefused({
    reason: "opaque",
    status: 0,
    method: call.method,
    url: call.url,
    location: undefined,
    message: `${call.method} ${call.url}: the runtime hid a redirect (an opaque response, status 0), so it cannot be followed safely`
      .slice(0, 200)
  })

/**
 * Runs a request with fetch told not to follow redirects: `redirect: "manual"` merged into the
 * `FetchHttpClient.RequestInit` in context, so it holds whatever fetch layer the program gave.
 * Other transports (undici, node:http) do not follow on their own.
 *
 * @since 0.1.0
 * @category internals
 */
export const withoutTransportRedirects = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  updateContext(self, manualRedirects)

// Contexts are immutable and a runtime reuses one for every call: derive each once.
const derived = new WeakMap<Context.Context<any>, Context.Context<any>>()

const manualRedirects = <R>(context: Context.Context<R>): Context.Context<R> => {
  let result = derived.get(context)
  if (result === undefined) {
    const init = Option.getOrUndefined(Context.getOption(context, FetchRequestInit))
    result = init?.redirect === "manual" ? context : Context.add(context, FetchRequestInit, { ...init, redirect: "manual" })
    derived.set(context, result)
  }
  return result
}
