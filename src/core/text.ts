/** Cuts text to at most `max` characters, marking the cut, so no message carries a whole body. */
export const truncate = (text: string, max = 200): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`

/** How many characters of an unexpected body an error keeps. */
export const bodyPrefixChars = 2048

const cutNote = "… [truncated: "

/**
 * The first `bodyPrefixChars` characters of a body, noting its whole length (`total` `unit`)
 * when cut. Text this function already cut is returned as it is.
 */
export const keepPrefix = (text: string, total: number = text.length, unit = "characters"): string => {
  if (total <= bodyPrefixChars && text.length <= bodyPrefixChars) return text
  if (text.length <= bodyPrefixChars + 64 && text.includes(cutNote)) return text
  return `${text.slice(0, bodyPrefixChars)}${cutNote}${total} ${unit} in all]`
}

/**
 * What a key-shaped value looks like: Bytekit's `sk_live_` / `sk_test_` prefix and whatever
 * follows up to a delimiter (so a cut or odd key is caught whole). A `[` right after the prefix
 * is a redaction mark, whole or cut short by `truncate` (no key holds one), and is left alone;
 * so is a `…` right after it (`truncate` cut a redacted key just past its prefix), which redacting
 * again would lengthen past the limit the message was cut to. The one definition.
 */
const keyShaped = /sk_(live|test)_(?![[…])[^\s"'`<>\\,;&()[\]{}]*/g

/**
 * Replaces every key-shaped value (`sk_live_…`, `sk_test_…`) in a text with `sk_live_[REDACTED]`
 * (or `sk_test_[REDACTED]`). Idempotent, and cheap on text without `sk_`.
 *
 * @example
 * ```ts
 * redactSecrets(`{"key":"sk_live_AbCd1234"}`) // `{"key":"sk_live_[REDACTED]"}`
 * ```
 * @since 0.1.0
 * @category internals
 */
export const redactSecrets = (text: string): string =>
  text.includes("sk_") ? text.replace(keyShaped, "sk_$1_[REDACTED]") : text

/**
 * `redactSecrets` applied to every string inside a JSON-like value (objects, arrays), keys
 * included; other values are kept. Objects are rebuilt with own data properties only, so a
 * `__proto__` key never becomes a prototype.
 *
 * @example
 * ```ts
 * redactSecretsIn({ key: "sk_test_AbCd1234", n: 1 }) // { key: "sk_test_[REDACTED]", n: 1 }
 * ```
 * @since 0.1.0
 * @category internals
 */
export const redactSecretsIn = <A>(value: A): A => scrub(value, 0) as A

const scrub = (value: unknown, depth: number): unknown => {
  if (typeof value === "string") return redactSecrets(value)
  if (typeof value !== "object" || value === null) return value
  // Nesting this deep is no error detail anyone reads; dropping it keeps the walk bounded.
  if (depth > 32) return "[too deep]"
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1))
  // Only plain data is rebuilt: class instances (Redacted, Date, ...) keep their identity.
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key), scrub(item, depth + 1)]))
}
