/**
 * The SDK's own HTTP transport on Node: `node:http` / `node:https` over keep-alive agents, with no
 * `AbortController` and no web `Response` per request. Plain callbacks and no Effect import, so
 * each line (Effect 3, Effect 4) wraps the same code. Cancelling a request destroys it, which
 * closes its socket; a body is counted chunk by chunk and dropped (its connection closed) the
 * moment it passes the cap. It never follows a redirect: the SDK does.
 *
 * Node's built-ins are reached through `process.getBuiltinModule` when none are given, so this
 * module imports nothing Node-only and stays loadable in browsers and bundlers.
 *
 * @since 0.1.0
 */
import type * as Http from "node:http"
import type * as Https from "node:https"
import { concatBytes } from "./bytes.js"

/**
 * The modules the transport sends with.
 *
 * @since 0.1.0
 * @category models
 */
export interface NodeHttpModules {
  readonly http: typeof Http
  readonly https: typeof Https
}

/**
 * One request: absolute URL (query included), lower- or mixed-case header names, the body whole.
 *
 * @since 0.1.0
 * @category models
 */
export interface NodeRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array | undefined
}

/**
 * How a body read ended: the bytes, past the cap, or a failure of the connection.
 *
 * @since 0.1.0
 * @category models
 */
export type NodeBodyResult =
  | { readonly _tag: "Body"; readonly body: Uint8Array }
  | { readonly _tag: "TooLarge"; readonly declared: number | undefined }
  | { readonly _tag: "Failed"; readonly cause: unknown }

/**
 * A response whose head is in: status and headers, the body still on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export interface NodeResponseHead {
  readonly status: number
  /** As Node gives them: lower-case names; `set-cookie` an array. */
  readonly headers: Http.IncomingHttpHeaders
  /**
   * Reads the body to its end, at most `limit` bytes (a declared `Content-Length` over it fails
   * before reading); calls `done` once. Past the cap the connection is closed. Returns a cancel.
   */
  readonly read: (limit: number, done: (result: NodeBodyResult) => void) => () => void
  /** Drops the body unread: a connection still receiving it is closed. */
  readonly discard: () => void
}

/**
 * Sends a request; calls `onHead` once, with the response head or what failed. Returns a cancel
 * that destroys the request (its socket closes); after it, nothing is called back.
 *
 * @since 0.1.0
 * @category models
 */
export interface NodeTransport {
  readonly request: (
    request: NodeRequest,
    onHead: (result: { readonly _tag: "Head"; readonly head: NodeResponseHead } | { readonly _tag: "Failed"; readonly cause: unknown }) => void
  ) => () => void
  /** Closes every pooled connection. */
  readonly close: () => void
}

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown
}

/**
 * `node:http` and `node:https` when the runtime has them (Node 20.16+, Bun, Deno through
 * `process.getBuiltinModule`), else `undefined`: a browser, a bundle, an older Node.
 *
 * @example
 * ```ts
 * import { nodeHttpModules } from "bytekit-effect/node"
 * const onNode = nodeHttpModules() !== undefined
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const nodeHttpModules = (): NodeHttpModules | undefined => {
  const process = (globalThis as { process?: NodeProcess }).process
  if (typeof process?.getBuiltinModule !== "function") return undefined
  // Deno and Bun answer too; a browser polyfill of `process` does not have the function.
  try {
    const http = process.getBuiltinModule("node:http") as typeof Http | undefined
    const https = process.getBuiltinModule("node:https") as typeof Https | undefined
    return http?.request !== undefined && https?.request !== undefined ? { http, https } : undefined
  } catch {
    return undefined
  }
}

/** A declared length the transport enforces: a plain byte count of an uncompressed body. */
const declaredLength = (headers: Http.IncomingHttpHeaders): number | undefined => {
  const length = headers["content-length"]
  if (length === undefined || !/^\d+$/.test(length.trim())) return undefined
  // Node does not inflate, but a caller's own Accept-Encoding may get a compressed body: it is still bytes on the wire.
  return Number(length.trim())
}


const noop = () => {}

/**
 * A transport over `node:http` and `node:https`, each with a keep-alive agent of its own.
 *
 * @example
 * ```ts
 * import { makeNodeTransport, nodeHttpModules } from "bytekit-effect/node"
 * const transport = makeNodeTransport(nodeHttpModules()!)
 * const cancel = transport.request({ method: "GET", url: "https://api.bytekit.com/health", headers: {} }, (result) => {
 *   if (result._tag === "Head") result.head.read(1024, (body) => console.log(body._tag))
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const makeNodeTransport = (modules: NodeHttpModules): NodeTransport => {
  const agents = {
    http: new modules.http.Agent({ keepAlive: true }),
    https: new modules.https.Agent({ keepAlive: true })
  }
  const request: NodeTransport["request"] = (request, onHead) => {
    let settled = false
    let req: Http.ClientRequest
    let res: Http.IncomingMessage | undefined
    // What failed before anyone reads the body; and the reader's callback once there is one.
    let pending: NodeBodyResult | undefined
    let reader: ((result: NodeBodyResult) => void) | undefined
    const failed = (cause: unknown) => {
      if (!settled) {
        settled = true
        onHead({ _tag: "Failed", cause })
      } else if (reader !== undefined) {
        const read = reader
        reader = undefined
        read({ _tag: "Failed", cause })
      } else if (pending === undefined) {
        pending = { _tag: "Failed", cause }
      }
    }
    try {
      const https = request.url.startsWith("https:")
      req = (https ? modules.https : modules.http).request(request.url, {
        method: request.method,
        headers: request.headers,
        agent: https ? agents.https : agents.http
      })
    } catch (cause) {
      // A URL or header Node refuses: nothing left.
      settled = true
      queueMicrotask(() => onHead({ _tag: "Failed", cause }))
      return noop
    }
    req.on("error", failed)
    req.on("response", (response) => {
      res = response
      response.on("error", failed)
      // The connection closed before the body's end (`error` may not come on every Node version).
      response.on("close", () => {
        if (!response.complete) failed(Object.assign(new Error("the connection closed before the response body's end"), { code: "ECONNRESET" }))
      })
      if (settled) return
      settled = true
      const head: NodeResponseHead = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        read: (limit, done) => {
          const declared = declaredLength(response.headers)
          if (declared !== undefined && declared > limit) {
            req.destroy()
            done({ _tag: "TooLarge", declared })
            return noop
          }
          if (pending !== undefined) {
            done(pending)
            return noop
          }
          const chunks: Array<Uint8Array> = []
          let total = 0
          reader = done
          response.on("data", (chunk: Uint8Array) => {
            if (reader === undefined) return
            total += chunk.byteLength
            if (total > limit) {
              const read = reader
              reader = undefined
              req.destroy()
              read({ _tag: "TooLarge", declared: undefined })
              return
            }
            chunks.push(chunk)
          })
          response.on("end", () => {
            if (reader === undefined) return
            const read = reader
            reader = undefined
            read({ _tag: "Body", body: concatBytes(chunks, total) })
          })
          return () => {
            reader = undefined
            req.destroy()
          }
        },
        discard: () => {
          // A body already in whole leaves the connection to be reused; else it is closed.
          if (response.complete) response.resume()
          else req.destroy()
        }
      }
      onHead({ _tag: "Head", head })
    })
    req.end(request.body)
    return () => {
      settled = true
      reader = undefined
      if (res === undefined || !res.complete) req.destroy()
    }
  }
  return {
    request,
    close: () => {
      agents.http.destroy()
      agents.https.destroy()
    }
  }
}
