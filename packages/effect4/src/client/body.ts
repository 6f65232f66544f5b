/**
 * Reading a response body with a cap: a declared `Content-Length` over it fails before reading,
 * and a body without one is read as a stream and dropped (its connection closed) the moment it
 * passes the cap. No response, however hostile, is buffered whole.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { InvalidInput, ResponseTooLarge } from "../contract/errors.js"

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
 * A `maxResponseBytes` option checked: a positive integer, else `InvalidInput`.
 *
 * @since 0.1.0
 * @category internals
 */
export const checkMaxResponseBytes = (value: unknown): Result.Result<number, InvalidInput> =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0
    ? Result.succeed(value)
    : Result.fail(new InvalidInput({ field: "maxResponseBytes", message: "maxResponseBytes must be a positive integer (bytes)" }))

/** A declared length the transport enforces: a plain byte count of an uncompressed body. */
const declaredLength = (headers: HttpClientResponse.HttpClientResponse["headers"]): number | undefined => {
  const length = headers["content-length"]
  if (length === undefined || !/^\d+$/.test(length.trim())) return undefined
  // fetch inflates a compressed body: its Content-Length bounds the bytes on the wire, not what is read.
  const encoding = headers["content-encoding"]?.trim().toLowerCase()
  if (encoding !== undefined && encoding !== "" && encoding !== "identity") return undefined
  return Number(length.trim())
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
): Effect.Effect<Uint8Array, ResponseTooLarge | HttpClientError.HttpClientError> => {
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
  if (declared !== undefined) {
    // The transport stops at the declared length: one buffer, no stream machinery.
    return Effect.flatMap(response.arrayBuffer, (buffer) =>
      buffer.byteLength > limit ? Effect.fail(tooLarge("passed")) : Effect.succeed(new Uint8Array(buffer)))
  }
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    // Failing inside the stream ends it: its reader is cancelled, which closes the connection.
    return Stream.runForEachArray(response.stream, (chunk) => {
      for (const part of chunk) {
        total += part.byteLength
        if (total > limit) return Effect.fail(tooLarge("passed"))
        chunks.push(part)
      }
      return Effect.void
    }).pipe(
      Effect.map(() => concat(chunks, total)),
      // No body at all (204, 304, HEAD): fetch gives no stream to read.
      Effect.catchIf(
        (error) => error._tag === "HttpClientError" && error.reason._tag === "EmptyBodyError",
        () => Effect.succeed(new Uint8Array(0))
      )
    )
  })
}

/**
 * Drops a body unread: its stream is opened, pulled at most once (a pull that waits is cut short)
 * and cancelled, which closes a connection still receiving it.
 *
 * @since 0.1.0
 * @category internals
 */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.ignore(Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => Effect.timeoutOption(pull, 0))))

const concat = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}
