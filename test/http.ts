/**
 * The HTTP client modules of the 1.x line (@effect/platform), for shared tests and fixtures as
 * `#line-test/http.js`; packages/effect4/test/http.ts is the 2.x line's (effect/http). No vitest
 * here: tsx runs fixtures that import it.
 */
import { NodeHttpClient } from "@effect/platform-node"

export { FetchHttpClient, Headers, HttpClient } from "@effect/platform"

/** An `HttpClient` over undici (NodeHttpClient's undici layer). */
export const undiciLayer = NodeHttpClient.layerUndici

/** The `HttpClient`'s own per-request span name (with `httpSpans`). */
export const httpClientSpanName = (method: string): string => `http.client ${method}`
