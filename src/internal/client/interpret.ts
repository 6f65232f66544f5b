/**
 * Reads a raw response against its endpoint: the decoded success, or the tagged error its status
 * and body say.
 *
 * @since 0.1.0
 */
import { bodyPrefixChars, keepPrefix, redactSecrets, redactSecretsIn, truncate } from "../../core/text.js"
import * as Result from "../../core/result.js"
import { decoder } from "#line/internal/effect.js"
import {
  type ApiStatusError,
  errorRow,
  MalformedResponse,
  type NotFound,
  RateLimited,
  UnexpectedStatus
} from "../../contract/errors.js"
import { ErrorBody, type ErrorResponse } from "../../contract/models.js"
import type { Operation } from "../../contract/operations.js"
import type { RawResponse } from "./send.js"
import { retryAfterMillis } from "./retry.js"

const textDecoder = new TextDecoder()

/**
 * The body as text.
 *
 * @since 0.1.0
 * @category decoding
 */
export const bodyText = (response: RawResponse): string => textDecoder.decode(response.body)

/** The first bytes of the body as text, noting the whole size when cut: what an error keeps. */
const bodyPrefix = (response: RawResponse, bytes = bodyPrefixChars): string =>
  keepPrefix(textDecoder.decode(response.body.subarray(0, bytes)), response.body.length, "bytes")

/** Drops `__proto__` keys: copied later (by a schema, `Object.assign`), one would set a prototype. */
const dropProto = (key: string, value: unknown): unknown => (key === "__proto__" ? undefined : value)

const parseJson = (response: RawResponse): Result.Result<unknown, string> => {
  try {
    const text = bodyText(response)
    // The reviver costs; only text that could spell `__proto__`, plainly or with escapes, pays it.
    return Result.succeed(text.includes("__proto__") || text.includes("\\u") ? JSON.parse(text, dropProto) : JSON.parse(text))
  } catch {
    return Result.fail("the body is not JSON")
  }
}

const decodeErrorBody = decoder(ErrorBody)

/**
 * The body of an error status as `ErrorResponse`, in either published form; undefined when it is
 * neither.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parseErrorBody = (response: RawResponse): ErrorResponse | undefined => {
  const json = parseJson(response)
  if (!json.ok) return undefined
  const decoded = decodeErrorBody(json.value)
  return decoded.ok ? decoded.value : undefined
}

/**
 * The tagged error for a status of the error table. A body that is not Bytekit's envelope (a
 * proxy's HTML page, say) still gives the status's error, with its text as the message.
 * Key-shaped values are redacted from the code, message and details.
 *
 * @since 0.1.0
 * @category decoding
 */
export const statusError = (response: RawResponse): ApiStatusError | undefined => {
  const row = errorRow(response.status)
  if (row === undefined) return undefined
  const parsed = parseErrorBody(response)
  const fields = {
    status: response.status,
    code: redactSecrets(parsed?.error.code ?? row.code),
    message: truncate(redactSecrets(parsed?.error.message ?? (bodyPrefix(response, 400) || `HTTP ${response.status}`))),
    details: redactSecretsIn(parsed?.error.details ?? {}),
    headers: response.headers
  }
  return row.error === RateLimited
    ? new RateLimited({ ...fields, retryAfter: retryAfterMillis(response.headers) })
    : new (row.error as typeof NotFound)(fields)
}

type Decoder = (response: RawResponse) => Result.Result<unknown, MalformedResponse>
const successDecoders = new WeakMap<Operation, Decoder>()

/** Decodes the success body with the operation's schema, built once per operation. */
const successDecoder = (operation: Operation): Decoder => {
  let read = successDecoders.get(operation)
  if (read === undefined) {
    const schema = operation.success
    const decode = schema === undefined ? undefined : decoder(schema)
    const malformed = (response: RawResponse, issue: string) =>
      new MalformedResponse({
        status: response.status,
        headers: response.headers,
        issue: truncate(redactSecrets(issue), 1000),
        message: truncate(redactSecrets(`${operation.name}: the ${response.status} body does not decode: ${issue}`))
      })
    read = decode === undefined
      ? () => Result.succeed(undefined)
      : (response) => {
        const json = parseJson(response)
        const decoded: Result.Result<unknown, string> = json.ok ? decode(json.value) : json
        return Result.mapError(decoded, (issue) => malformed(response, issue))
      }
    successDecoders.set(operation, read)
  }
  return read
}

/**
 * The success a response holds, or undefined when it holds none. The operation's documented
 * status decodes to its model (`MalformedResponse` when it does not); any other 2xx is a success
 * when its body decodes as that model, so a server answering create with 200 still hands over
 * the key. An operation without a body (revoke) takes any 2xx.
 *
 * @since 0.1.0
 * @category decoding
 */
export const readSuccess = (
  operation: Operation,
  response: RawResponse
): Result.Result<unknown, MalformedResponse> | undefined => {
  if (response.status === operation.successStatus) return successDecoder(operation)(response)
  if (response.status < 200 || response.status > 299) return undefined
  const result = successDecoder(operation)(response)
  return result.ok ? result : undefined
}

/**
 * Reads a response: a success (see `readSuccess`) decodes to its model; a status of the error
 * table gives its tagged error; anything else is `UnexpectedStatus`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const interpret = (
  operation: Operation,
  response: RawResponse
): Result.Result<unknown, ApiStatusError | UnexpectedStatus | MalformedResponse> =>
  readSuccess(operation, response) ?? Result.fail(statusError(response) ?? unexpectedStatus(operation, response))

/**
 * `UnexpectedStatus` for a response: the first 2 KiB of the body kept (the cut noted), at most
 * 200 characters of it shown, key-shaped values redacted from both.
 *
 * @since 0.1.0
 * @category decoding
 */
export const unexpectedStatus = (operation: Operation, response: RawResponse): UnexpectedStatus => {
  const body = redactSecrets(bodyPrefix(response))
  return new UnexpectedStatus({
    status: response.status,
    headers: response.headers,
    body,
    message: truncate(`${operation.name}: unexpected status ${response.status}${body === "" ? "" : `: ${body}`}`)
  })
}
