/**
 * Reading a response body with a cap: a declared `Content-Length` over it fails before reading,
 * and a body without one is read as a stream and dropped (its connection closed) the moment it
 * passes the cap. No response, however hostile, is buffered whole.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Result from "../../core/result.js"
import {
  bodyReadFailure,
  callback,
  type HttpClientResponse,
  isEmptyBody,
  type ResponseReadError,
  runForEachBatch,
  webSource
} from "#line/internal/effect.js"
import { InvalidInput, ResponseTooLarge } from "../../contract/errors.js"
import { nodeHeadOf, readHead } from "./nodeKeys.js"
import { concatBytes } from "../../core/bytes.js"

/**
 * The default `maxResponseBytes`: 8 MiB, some thousand times the largest body the Account API
 * sends (a page of 100 keys).
 *
 * @example
 * ```ts
 * import { defaultMaxResponseBytes } from "bytekit-effect"
 * defaultMaxResponseBytes // 8388608
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxResponseBytes = 8 * 1024 * 1024

/**
 * The largest `maxResponseBytes` allowed, 256 MiB: a body is decoded to text whole, and a string
 * past V8's limit (about 512 Mi characters) would be an untyped failure.
 *
 * @since 0.1.0
 * @category internals
 */
export const maxMaxResponseBytes = 256 * 1024 * 1024

/**
 * A `maxResponseBytes` option checked: an integer from 1 to 256 MiB, else `InvalidInput`.
 *
 * @since 0.1.0
 * @category internals
 */
export const checkMaxResponseBytes = (value: unknown): Result.Result<number, InvalidInput> =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= maxMaxResponseBytes
    ? Result.succeed(value)
    : Result.fail(
      new InvalidInput({ field: "maxResponseBytes", message: `maxResponseBytes must be an integer from 1 to ${maxMaxResponseBytes} (bytes)` })
    )

/** A declared length the transport enforces: a plain byte count of an uncompressed body. */
const declaredLength = (headers: HttpClientResponse.HttpClientResponse["headers"]): number | undefined => {
  const length = headers["content-length"]
  if (length === undefined || !/^\d+$/.test(length.trim())) return undefined
  // fetch inflates a compressed body: its Content-Length bounds the bytes on the wire, not what is read.
  const encoding = headers["content-encoding"]?.trim().toLowerCase()
  if (encoding !== undefined && encoding !== "" && encoding !== "identity") return undefined
  return Number(length.trim())
}

interface WebResponse {
  readonly body: ReadableStream<Uint8Array> | null
}

/**
 * The web `Response` behind a fetch-based response, if it is one. Reading it directly costs half
 * what its `stream` or `arrayBuffer` do; any other transport takes the generic path.
 */
const webResponse = (response: HttpClientResponse.HttpClientResponse): WebResponse | undefined => {
  const source = webSource(response)
  if (typeof source !== "object" || source === null || !("bodyUsed" in source) || !("body" in source)) return undefined
  const body = (source as { readonly body: unknown }).body
  return body === null || (typeof body === "object" && typeof (body as { getReader?: unknown }).getReader === "function")
    ? (source as WebResponse)
    : undefined
}

/**
 * Reads a response's body, at most `limit` bytes of it; fails with `ResponseTooLarge` past the cap
 * (a `Content-Length` over it fails before reading), closing the connection.
 *
 * @since 0.1.0
 * @category internals
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  method: string,
  url: string
): Effect.Effect<Uint8Array, ResponseTooLarge | ResponseReadError> => {
  const tooLarge = (what: string) =>
    new ResponseTooLarge({
      status: response.status,
      limitBytes: limit,
      method,
      url,
      message: `the ${response.status} response body ${what} the ${limit}-byte limit (maxResponseBytes)`
    })
  const declared = declaredLength(response.headers)
  if (declared !== undefined && declared > limit) {
    return Effect.andThen(discard(response), Effect.fail(tooLarge(`declares ${declared} bytes, over`)))
  }
  const head = nodeHeadOf(response)
  if (head !== undefined) {
    // The SDK's Node transport counts the bytes as they come and closes the connection past the cap.
    return Effect.flatMap(readHead(head, limit), (result): Effect.Effect<Uint8Array, ResponseTooLarge | ResponseReadError> =>
      result._tag === "Body"
        ? Effect.succeed(result.body)
        : result._tag === "TooLarge"
        ? Effect.fail(tooLarge(result.declared === undefined ? "passed" : `declares ${result.declared} bytes, over`))
        : Effect.fail(bodyReadFailure(response, result.cause)))
  }
  const web = webResponse(response)
  if (web !== undefined) {
    if (web.body === null) return Effect.succeed(new Uint8Array(0))
    return readWeb(web.body, limit, () => tooLarge("passed"), (cause) => bodyReadFailure(response, cause))
  }
  if (declared !== undefined) {
    // The transport stops at the declared length: one buffer.
    return Effect.flatMap(response.arrayBuffer, (buffer) =>
      buffer.byteLength > limit ? Effect.fail(tooLarge("passed")) : Effect.succeed(new Uint8Array(buffer)))
  }
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    // Failing inside the stream ends it: its reader is cancelled, which closes the connection.
    return runForEachBatch(response.stream, (batch) => {
      for (const part of batch) {
        total += part.byteLength
        if (total > limit) return Effect.fail(tooLarge("passed"))
        chunks.push(part)
      }
      return Effect.void
    }).pipe(
      Effect.map(() => concatBytes(chunks, total)),
      // No body at all (204, 304, HEAD): fetch gives no stream to read.
      Effect.catchIf(
        (error): error is ResponseReadError => error._tag !== "ResponseTooLarge" && isEmptyBody(error),
        () => Effect.succeed(new Uint8Array(0))
      )
    )
  })
}

/**
 * A web stream read to its end or to the cap, whichever comes first; past the cap, or when the
 * fiber is interrupted (a timeout), the stream is cancelled, which closes the connection.
 */
const readWeb = <E>(
  body: ReadableStream<Uint8Array>,
  limit: number,
  tooLarge: () => ResponseTooLarge,
  onError: (cause: unknown) => E
): Effect.Effect<Uint8Array, ResponseTooLarge | E> =>
  callback<Uint8Array, ResponseTooLarge | E>((resume) => {
    let reader: ReadableStreamDefaultReader<Uint8Array>
    try {
      reader = body.getReader()
    } catch (cause) {
      resume(Effect.fail(onError(cause)))
      return
    }
    const chunks: Array<Uint8Array> = []
    let total = 0
    const cancel = () => void reader.cancel().catch(() => {})
    const next = (): void => {
      reader.read().then(
        (result) => {
          if (result.done) return resume(Effect.succeed(concatBytes(chunks, total)))
          total += result.value.byteLength
          if (total > limit) {
            cancel()
            return resume(Effect.fail(tooLarge()))
          }
          chunks.push(result.value)
          next()
        },
        (cause: unknown) => resume(Effect.fail(onError(cause)))
      )
    }
    next()
    return Effect.sync(cancel)
  })

/**
 * Drops a body unread: its stream is cancelled (for a generic transport: opened, pulled at most
 * once, a pull that waits cut short), which closes a connection still receiving it.
 *
 * @since 0.1.0
 * @category internals
 */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> => {
  const head = nodeHeadOf(response)
  if (head !== undefined) return Effect.sync(head.discard)
  const web = webResponse(response)
  if (web !== undefined) {
    const body = web.body
    return body === null || body.locked ? Effect.void : Effect.promise(() => body.cancel().catch(() => {}))
  }
  return Effect.ignore(Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => Effect.timeoutOption(pull, 0))))
}

