/**
 * Scrubbing what a transport or a defect says before it becomes an error message or a span:
 * HTTP clients quote header values when they refuse one, and a header may carry the credential.
 *
 * @since 0.1.0
 */
import { redactSecrets, truncate } from "./text.js"

/** A refusal quoting a header or its value: fetch's "Headers.append: "Bearer …" is an invalid header value." and kin. */
const quotesHeader = /header|bytestring/i
const quote = /["'`]/

/** What stands in for a message that quoted a header value. */
const headerRefused = "a request header was refused by the HTTP client (its value is not shown)"

/**
 * The strings a message must never contain, from a request's headers: each value, and each
 * word of it long enough to be a token (`Bearer <token>` gives the token alone too).
 *
 * @since 0.1.0
 * @category internals
 */
export const headerSecrets = (headers: Readonly<Record<string, string>> | undefined): Array<string> => {
  if (headers === undefined) return []
  const secrets = new Set<string>()
  for (const value of Object.values(headers)) {
    if (typeof value !== "string") continue
    const trimmed = value.trim()
    if (trimmed.length >= 6) secrets.add(trimmed)
    for (const word of trimmed.split(/\s+/)) if (word.length >= 6) secrets.add(word)
  }
  // Longest first, so a whole value goes before a word of it.
  return [...secrets].sort((a, b) => b.length - a.length)
}

/**
 * One message made safe to show: `undefined` when it quotes a header (dropped whole), else the
 * message with every secret and key-shaped value (`sk_live_…`) replaced by `<redacted>`.
 *
 * @since 0.1.0
 * @category internals
 */
export const scrubMessage = (message: string, secrets: ReadonlyArray<string> = []): string | undefined => {
  if (quotesHeader.test(message) && quote.test(message)) return undefined
  let text = message
  for (const secret of secrets) {
    if (text.includes(secret)) text = text.split(secret).join("<redacted>")
  }
  return redactSecrets(text)
}

/**
 * A failure and its causes (up to 5 deep) as one message, each part scrubbed; a part quoting a
 * header is replaced by a plain note, never shown.
 *
 * @since 0.1.0
 * @category internals
 */
export const describeFailure = (cause: unknown, secrets: ReadonlyArray<string> = [], fallback = "transport failure"): string => {
  const parts: Array<string> = []
  for (let current = cause, depth = 0; current != null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    const message = typeof current === "object" ? (current as { message?: unknown }).message : current
    const text = typeof message === "string" && message !== "" ? message : typeof code === "string" ? code : undefined
    if (text !== undefined) {
      const scrubbed = scrubMessage(text, secrets)
      const part = scrubbed ?? headerRefused
      if (parts.at(-1) !== part) parts.push(part)
    }
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined
  }
  return truncate(parts.join(": ") || fallback)
}
