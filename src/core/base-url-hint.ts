/**
 * What to say about a base URL the SDK refuses: the value as given and the likely fix, so a
 * newcomer who wrote `api.bytekit.com` or `localhost:4010` reads `did you mean https://…?`.
 * Never a secret: a value is shown only when it looks like a host or a URL (a key or a token
 * pasted in the wrong place does not), and without its user info, query or fragment.
 * No Effect: both lines use it.
 *
 * @since 0.1.0
 */

/** Hosts a local emulator listens on: suggested with http, everything else with https. */
const loopback = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i

/** A host (DNS labels of at most 63 characters, or an IPv6 literal), a port, a path: a URL without its scheme. */
const schemeless = /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])(:\d{1,5})?(\/[^\s?#]*)?$/i

/** Key- or token-shaped (`sk_live_…`, a JWT): never shown, whatever else it looks like. */
const secretShaped = /sk_(live|test)_|^eyJ/

/** The URL a value without a scheme most likely meant, or undefined when it does not look like one. */
const likely = (raw: string): string | undefined => {
  const value = raw.trim().replace(/^\/\//, "")
  const match = schemeless.exec(value)
  if (match === null || secretShaped.test(value)) return undefined
  const host = match[1]!
  // A single word ("bytekit") is more likely a mistake of another kind than a host.
  if (!host.includes(".") && !host.startsWith("[") && !loopback.test(host)) return undefined
  return `${loopback.test(host) ? "http" : "https"}://${value.replace(/\/+$/, "")}`
}

/**
 * Why `raw` cannot be a base URL, in a message naming `name` (the option, or the environment
 * variable it came from), showing the value when that is safe and the likely fix; undefined when
 * it is a usable http(s) URL.
 *
 * @example
 * ```ts
 * import { baseUrlProblem } from "./base-url-hint.js"
 * baseUrlProblem("api.bytekit.com") // 'baseUrl "api.bytekit.com" is not a URL: did you mean https://api.bytekit.com?'
 * baseUrlProblem("https://api.bytekit.com") // undefined
 * ```
 * @since 0.1.0
 * @category checks
 */
export const baseUrlProblem = (raw: string, name = "baseUrl"): string | undefined => {
  if (raw.trim() === "") {
    return `${name} is empty: leave it out for https://api.bytekit.com, or give a whole URL such as http://localhost:4010`
  }
  const guess = likely(raw)
  if (guess !== undefined) return `${name} ${JSON.stringify(raw.trim())} is not a URL: did you mean ${guess}?`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `${name} is not a URL (the value is not shown: it does not look like one, and may be a key): ` +
      "give a whole URL such as https://api.bytekit.com"
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const shown = url.host === "" || secretShaped.test(raw) ? url.protocol : `${url.protocol}//${url.host}`
    return `${name} must be http or https, not ${JSON.stringify(shown)}: give a URL such as https://api.bytekit.com`
  }
  if (url.username !== "" || url.password !== "") {
    return `${name} must not carry credentials (user:password@ before the host): pass the key as apiKey (token on the plain clients) instead`
  }
  return undefined
}
