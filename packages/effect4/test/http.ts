/**
 * The HTTP client modules of the 2.x line (effect/http), for shared tests and fixtures as
 * `#line-test/http.js`; test/http.ts is the 1.x line's (@effect/platform). No vitest here: tsx
 * runs fixtures that import it.
 */
import * as Layer from "effect/Layer"
import { FetchHttpClient } from "effect/http"
import { fetch as undiciFetch } from "undici"

export { FetchHttpClient, Headers, HttpClient } from "effect/http"

/** An `HttpClient` over undici: FetchHttpClient over undici's fetch (Effect 4's NodeHttpClient needs Node 22). */
export const undiciLayer = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.Fetch, undiciFetch as unknown as typeof globalThis.fetch))
)

/** The `HttpClient`'s own per-request span name (with `httpSpans`): Effect 4 names it after the method alone. */
export const httpClientSpanName = (method: string): string => method
