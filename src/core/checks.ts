/**
 * Input checks that need no Schema: what the SDK refuses before sending (ids, header names and
 * values, the auth prefix, the base URL) and the one rule for a key's name, shared with the
 * emulator. Each returns a problem (`{ field, message }`) or the checked value; never echoes a secret.
 *
 * @since 0.1.0
 */

/**
 * Why an input was refused: the option or argument, and a message that does not quote a secret.
 *
 * @example
 * ```ts
 * import { checkId, Problem } from "./checks.js"
 * checkId("") instanceof Problem // true
 * ```
 * @since 0.1.0
 * @category checks
 */
export class Problem {
  readonly _tag = "Problem" as const
  constructor(readonly field: string, readonly message: string) {}
}

const problem = (field: string, message: string): Problem => new Problem(field, message)

/** A lone UTF-16 surrogate: it has no UTF-8 form, so no server could receive it as sent. */
export const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * What a header value cannot hold: control characters (CR, LF would split the request) and
 * anything beyond Latin-1 (lone surrogates among them), which no HTTP client can send.
 */
// eslint-disable-next-line no-control-regex
export const unsendable = /[\u0000-\u001f\u007f\u0100-\uffff]/

/** An HTTP token (RFC 9110 `tchar`), what a header name must be. */
export const httpToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * A key id for a path: a non-empty string, not a dot segment, no lone surrogate; returned
 * percent-encoded.
 *
 * @example
 * ```ts
 * import { checkId } from "./checks.js"
 * checkId("a b") // "a%20b"
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkId = (id: unknown): string | Problem => {
  if (typeof id !== "string" || id.length === 0) return problem("id", "id must be a non-empty string")
  // "." and ".." are dot segments that URL parsers collapse, whatever their encoding.
  if (id === "." || id === "..") return problem("id", "id must not be a dot segment")
  if (loneSurrogate.test(id)) return problem("id", "id contains a lone UTF-16 surrogate")
  return encodeURIComponent(id)
}

/** The message of a name outside the rule. */
export const nameMessage = "name must be 1 to 100 characters after trimming"

/**
 * A key's name: 1 to 100 characters after trimming, no lone surrogate; returned trimmed. The one
 * rule the SDK's models and the emulator share.
 *
 * @example
 * ```ts
 * import { checkName } from "./checks.js"
 * checkName("  CI  ") // "CI"
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkName = (name: unknown): string | Problem => {
  if (typeof name !== "string") return problem("name", nameMessage)
  const trimmed = name.trim()
  if (trimmed.length < 1 || trimmed.length > 100) return problem("name", nameMessage)
  if (loneSurrogate.test(name)) return problem("name", "name must not contain a lone UTF-16 surrogate")
  return trimmed
}

/**
 * Extra headers for a request: names that are HTTP tokens, values that are strings a header can carry.
 *
 * @example
 * ```ts
 * import { checkHeaders } from "./checks.js"
 * checkHeaders({ "x-trace": "1" }) // undefined
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkHeaders = (headers: Readonly<Record<string, unknown>>): Problem | undefined => {
  for (const [name, value] of Object.entries(headers)) {
    if (!httpToken.test(name)) return problem("headers", `header name ${JSON.stringify(name)} is not an HTTP token`)
    if (typeof value !== "string" || unsendable.test(value)) return problem("headers", `header ${JSON.stringify(name)} is not a clean string`)
  }
  return undefined
}

/**
 * A secret bound for a header (API key, session token): a non-empty string a header can carry.
 * The message never quotes it.
 *
 * @example
 * ```ts
 * import { checkSecretText } from "./checks.js"
 * checkSecretText("", "apiKey") // Problem { field: "apiKey", message: "apiKey is empty" }
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkSecretText = (value: unknown, field: string): string | Problem => {
  if (typeof value !== "string") return problem(field, `${field} is not a string`)
  if (value.length === 0) return problem(field, `${field} is empty`)
  if (unsendable.test(value)) {
    return problem(field, `${field} contains a character a header cannot carry (CR, LF, another control character, or beyond Latin-1)`)
  }
  return value
}

/**
 * The auth header's name (an HTTP token) and prefix (no control characters, Latin-1); `fields`
 * names the options as the caller knows them.
 *
 * @example
 * ```ts
 * import { checkAuthHeader } from "./checks.js"
 * checkAuthHeader("x-api-key", "") // undefined
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkAuthHeader = (
  name: unknown,
  prefix: unknown,
  fields: { readonly name: string; readonly prefix: string } = { name: "authHeaderName", prefix: "authPrefix" }
): Problem | undefined => {
  if (name !== undefined && (typeof name !== "string" || !httpToken.test(name))) {
    return problem(fields.name, `${fields.name} must be an HTTP header name: letters, digits and !#$%&'*+-.^_\`|~`)
  }
  if (prefix !== undefined && (typeof prefix !== "string" || unsendable.test(prefix))) {
    return problem(fields.prefix, `${fields.prefix} must be text without control characters (CR, LF, tab…), in Latin-1`)
  }
  return undefined
}

/**
 * A base URL: http or https, no credentials in it; returned without its trailing slash.
 *
 * @example
 * ```ts
 * import { checkBaseUrl } from "./checks.js"
 * checkBaseUrl("http://127.0.0.1:4010/") // "http://127.0.0.1:4010"
 * ```
 * @since 0.1.0
 * @category checks
 */
export const checkBaseUrl = (raw: string): string | Problem => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return problem("baseUrl", "baseUrl is not a valid URL")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return problem("baseUrl", `baseUrl must be http(s), not ${url.protocol}`)
  if (url.username !== "" || url.password !== "") return problem("baseUrl", "baseUrl must not carry credentials")
  return url.href.replace(/\/+$/, "")
}
