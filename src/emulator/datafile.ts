/**
 * The emulator's data file: its format (version 2; version 1, which held the sealing key, is read
 * only to migrate it), checked by hand-written validators (no Effect, so the emulator runs
 * whichever Effect major the user has), the typed error for a file that does not load, and the crash-safe write
 * (temp file, fsync, rename, fsync of the directory).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs"
import { dirname } from "node:path"

/**
 * The emulator's data (its data file, journal or sealing key file) did not load: `file` says which,
 * `problem` what is wrong. The emulator refuses to start and leaves the file as it is.
 *
 * @example
 * ```ts
 * import { DataFileError, startEmulator } from "bytekit-effect/emulator"
 * await startEmulator({ dataFile: "./bytekit.json" }).catch((error) => {
 *   if (error instanceof DataFileError) console.error(error.message) // "./bytekit.json: has version 99; ..."
 *   throw error
 * })
 * ```
 * @since 0.1.0
 * @category errors
 */
export class DataFileError extends Error {
  readonly _tag = "DataFileError" as const
  constructor(readonly file: string, readonly problem: string) {
    // One line, whatever the underlying message held.
    super(`${file}: ${problem.replace(/\s+/g, " ").trim()}`)
    this.name = "DataFileError"
  }
}

/** The data format this emulator writes. */
export const currentVersion = 2

/** Where a value failed its check and why: `keys[3].hash is missing`. */
export class Issue {
  constructor(readonly path: ReadonlyArray<string | number>, readonly message: string) {}
}

type Path = ReadonlyArray<string | number>
/** Checks a value at a path and returns it typed (rebuilt with known fields only); throws an `Issue`. */
type Check<A> = (value: unknown, path: Path) => A

/** A value in messages: `"x"`, `5`, `null`, cut short. */
const shown = (value: unknown): string => {
  let text: string
  try {
    text = typeof value === "object" && value !== null ? (Array.isArray(value) ? "an array" : "an object") : JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

const expected = (what: string, value: unknown, path: Path): never => {
  throw new Issue(path, `Expected ${what}, actual ${shown(value)}`)
}

const string: Check<string> = (value, path) => typeof value === "string" ? value : expected("string", value, path)

const nonEmptyString: Check<string> = (value, path) =>
  typeof value === "string" && value.length > 0 ? value : expected("a non empty string", value, path)

const literal = <const L extends ReadonlyArray<string | number>>(...literals: L): Check<L[number]> => (value, path) =>
  literals.includes(value as L[number]) ? (value as L[number]) : expected(literals.map((l) => JSON.stringify(l)).join(" | "), value, path)

const nullOr = <A>(check: Check<A>): Check<A | null> => (value, path) => value === null ? null : check(value, path)

/** A journal number: a non-negative integer. */
const seq: Check<number> = (value, path) =>
  typeof value !== "number"
    ? expected("number", value, path)
    : !Number.isInteger(value)
    ? expected("an integer", value, path)
    : value < 0
    ? expected("a non-negative number", value, path)
    : value

const hash: Check<string> = (value, path) => {
  const text = string(value, path)
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Issue(path, "must be 64 lowercase hex digits (a SHA-256)")
  return text
}

const array = <A>(check: Check<A>): Check<ReadonlyArray<A>> => (value, path) =>
  Array.isArray(value) ? value.map((item, i) => check(item, [...path, i])) : expected("an array", value, path)

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

/** An object with these fields (all required); unknown fields are dropped, as a decode drops them. */
const struct = <F extends Record<string, Check<unknown>>>(fields: F): Check<{ readonly [K in keyof F]: ReturnType<F[K]> }> =>
  (value, path) => {
    if (!isObject(value)) return expected("an object", value, path)
    const out: Record<string, unknown> = {}
    for (const [name, check] of Object.entries(fields)) {
      if (!Object.hasOwn(value, name)) throw new Issue([...path, name], "is missing")
      out[name] = check(value[name], [...path, name])
    }
    return out as { readonly [K in keyof F]: ReturnType<F[K]> }
  }

const stringRecord: Check<Readonly<Record<string, string>>> = (value, path) => {
  if (!isObject(value)) return expected("an object", value, path)
  const out: Record<string, string> = {}
  for (const [name, item] of Object.entries(value)) out[name] = string(item, [...path, name])
  return out
}

const sealed = struct({ iv: string, tag: string, data: string })

const key = struct({
  id: nonEmptyString,
  account_id: nonEmptyString,
  name: string,
  hash,
  sealed: nullOr(sealed),
  prefix: string,
  environment: literal("live", "test"),
  created_at: string,
  last_used_at: nullOr(string),
  revoked_at: nullOr(string)
})

const account = struct({
  id: nonEmptyString,
  name: string,
  email: string,
  owner_user_id: string,
  members: array(string),
  created_at: string
})

/** Version 2: the sealing key is kept elsewhere; `sealing.check` tells whether a key is the right one. */
const snapshotV2 = struct({
  version: literal(2),
  /** The last journal change this snapshot includes. */
  seq,
  sealing: struct({ algorithm: literal("aes-256-gcm"), check: string }),
  accounts: array(account),
  keys: array(key)
})

/** Version 1 held the AES key beside the ciphertexts; it is migrated on load. */
const snapshotV1 = struct({
  version: literal(1),
  secret: string,
  accounts: array(account),
  keys: array(key)
})

export type KeyData = ReturnType<typeof key>
export type AccountData = ReturnType<typeof account>
export type SnapshotData = ReturnType<typeof snapshotV2>

/** The `last_used_at` stamps taken since the line before, by key id. */
type Used = { readonly used?: Readonly<Record<string, string>> }

/** One journal line: a change, numbered, with the `last_used_at` stamps taken since the line before. */
export type EntryData =
  | ({ readonly seq: number; readonly op: "account"; readonly account: AccountData } & Used)
  | ({ readonly seq: number; readonly op: "key"; readonly key: KeyData } & Used)
  | ({ readonly seq: number; readonly op: "rename"; readonly id: string; readonly name: string } & Used)
  | ({ readonly seq: number; readonly op: "revoke"; readonly id: string; readonly at: string } & Used)
  | ({ readonly seq: number; readonly op: "used" } & Used)

const entryFields = {
  account: { account },
  key: { key },
  rename: { id: string, name: string },
  revoke: { id: string, at: string },
  used: {}
} as const satisfies { readonly [Op in EntryData["op"]]: Record<string, Check<unknown>> }

const entryOps = Object.keys(entryFields) as ReadonlyArray<EntryData["op"]>

/** Checks one journal line's value. */
const entry: Check<EntryData> = (value, path) => {
  if (!isObject(value)) return expected("an object", value, path)
  if (!Object.hasOwn(value, "op")) throw new Issue([...path, "op"], "is missing")
  const op = literal(...entryOps)(value["op"], [...path, "op"])
  const checked = struct({ seq, ...entryFields[op] })(value, path) as Record<string, unknown>
  const used = value["used"] === undefined ? undefined : stringRecord(value["used"], [...path, "used"])
  return { seq: checked["seq"], op, ...checked, ...(used === undefined ? {} : { used }) } as EntryData
}

/** Runs a check: the value, or the `Issue` that stopped it. */
const run = <A>(check: Check<A>, value: unknown): A | Issue => {
  try {
    return check(value, [])
  } catch (error) {
    if (error instanceof Issue) return error
    throw error
  }
}

/**
 * A journal line's value as an entry, or the first issue with it.
 *
 * @example
 * ```ts
 * import { decodeEntry } from "./datafile.js"
 * decodeEntry({ seq: 1, op: "used" }) // { seq: 1, op: "used" }
 * ```
 */
export const decodeEntry = (value: unknown): EntryData | Issue => run(entry, value)

/** JSON.parse's complaint without the snippet of input V8 quotes (a version 1 file held a key). */
export const jsonProblem = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/,?\s*"[^]*" is not valid JSON$/, "").slice(0, 120)

/** `keys[3].hash is missing`: the first issue of a check, on one line, values cut short. */
export const describeIssue = (issue: Issue): string => {
  const path = issue.path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("")
  return `${path === "" ? "the value" : path} ${issue.message.slice(0, 160)}`
}

export type Loaded =
  | { readonly version: 2; readonly data: SnapshotData; readonly bytes: number }
  | { readonly version: 1; readonly data: ReturnType<typeof snapshotV1>; readonly bytes: number }

/** What a JSON value is, for messages: `null`, `an array`, `a string`. */
const kindOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `${typeof value === "object" ? "an" : "a"} ${typeof value}`

/**
 * Reads and validates the data file; undefined when there is none. Throws `DataFileError` for
 * anything else than a whole, valid file of a known version.
 */
export const readDataFile = (file: string): Loaded | undefined => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === "ENOENT") return undefined
    throw new DataFileError(file, `cannot be read (${code ?? String(error)})`)
  }
  if (text.trim() === "") throw new DataFileError(file, `is empty (expected an emulator data file, version ${currentVersion})`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new DataFileError(file, `is not valid JSON (${jsonProblem(error)})`)
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataFileError(file, `is not a JSON object (found ${kindOf(json)}); expected an emulator data file`)
  }
  const version = (json as { readonly version?: unknown }).version
  if (version === undefined) throw new DataFileError(file, `has no "version" (expected ${currentVersion}); not an emulator data file`)
  if (version !== 1 && version !== 2) {
    throw new DataFileError(file, `has version ${JSON.stringify(version).slice(0, 20)}; this emulator reads versions 1 and 2`)
  }
  const decoded: Loaded["data"] | Issue = version === 2 ? run(snapshotV2, json) : run(snapshotV1, json)
  if (decoded instanceof Issue) throw new DataFileError(file, describeIssue(decoded))
  const data = decoded
  // What a schema cannot say: ids unique, every key in an account of the file.
  const accounts = new Set<string>()
  for (const [i, account] of data.accounts.entries()) {
    if (accounts.has(account.id)) throw new DataFileError(file, `accounts[${i}]: account ${account.id} appears twice`)
    accounts.add(account.id)
  }
  const ids = new Set<string>()
  const hashes = new Set<string>()
  for (const [i, key] of data.keys.entries()) {
    if (ids.has(key.id)) throw new DataFileError(file, `keys[${i}]: key ${key.id} appears twice`)
    if (hashes.has(key.hash)) throw new DataFileError(file, `keys[${i}]: key ${key.id} has the hash of an earlier key`)
    if (!accounts.has(key.account_id)) {
      throw new DataFileError(file, `keys[${i}]: key ${key.id} belongs to account ${key.account_id}, which the file does not hold`)
    }
    ids.add(key.id)
    hashes.add(key.hash)
  }
  const bytes = Buffer.byteLength(text)
  return data.version === 2 ? { version: 2, data, bytes } : { version: 1, data, bytes }
}

/** fsync of a directory, so a rename or a new file in it survives a power cut (not possible on Windows). */
export const fsyncDirectory = (dir: string): void => {
  if (process.platform === "win32") return
  const fd = openSync(dir, "r")
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Writes all of `bytes` at `position` (writeSync may write less than asked). */
export const writeAll = (fd: number, bytes: Uint8Array, position: number | null = null): void => {
  let written = 0
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, position === null ? null : position + written)
  }
}

/** Replaces `file` with `text`: temp file, fsync, rename, fsync of the directory. Old or new after a crash. */
export const writeAtomically = (file: string, text: string): void => {
  const temp = `${file}.tmp`
  const fd = openSync(temp, "w", 0o600)
  let open = true
  try {
    writeAll(fd, Buffer.from(text))
    fsyncSync(fd)
    open = false
    closeSync(fd)
    renameSync(temp, file)
  } catch (error) {
    // Closed once only: a number closed twice may by then be another file's.
    if (open) {
      try {
        closeSync(fd)
      } catch {
        // the write's error is the one to report
      }
    }
    try {
      unlinkSync(temp)
    } catch {
      // the disk refuses; the next write replaces it
    }
    throw error
  }
  fsyncDirectory(dirname(file))
}
