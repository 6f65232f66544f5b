/**
 * The emulator's data file: its schema (version 2; version 1, which held the sealing key, is read
 * only to migrate it), the typed error for a file that does not load, and the crash-safe write
 * (temp file, fsync, rename, fsync of the directory).
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
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

const SealedSchema = Schema.Struct({ iv: Schema.String, tag: Schema.String, data: Schema.String })

const KeySchema = Schema.Struct({
  id: Schema.NonEmptyString,
  account_id: Schema.NonEmptyString,
  name: Schema.String,
  hash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/, { message: () => "must be 64 lowercase hex digits (a SHA-256)" })),
  sealed: Schema.NullOr(SealedSchema),
  prefix: Schema.String,
  environment: Schema.Literal("live", "test"),
  created_at: Schema.String,
  last_used_at: Schema.NullOr(Schema.String),
  revoked_at: Schema.NullOr(Schema.String)
})

const AccountSchema = Schema.Struct({
  id: Schema.NonEmptyString,
  name: Schema.String,
  email: Schema.String,
  owner_user_id: Schema.String,
  members: Schema.Array(Schema.String),
  created_at: Schema.String
})

const Seq = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

/** Version 2: the sealing key is kept elsewhere; `sealing.check` tells whether a key is the right one. */
const SnapshotV2 = Schema.Struct({
  version: Schema.Literal(2),
  /** The last journal change this snapshot includes. */
  seq: Seq,
  sealing: Schema.Struct({ algorithm: Schema.Literal("aes-256-gcm"), check: Schema.String }),
  accounts: Schema.Array(AccountSchema),
  keys: Schema.Array(KeySchema)
})

/** Version 1 held the AES key beside the ciphertexts; it is migrated on load. */
const SnapshotV1 = Schema.Struct({
  version: Schema.Literal(1),
  secret: Schema.String,
  accounts: Schema.Array(AccountSchema),
  keys: Schema.Array(KeySchema)
})

export type KeyData = Schema.Schema.Type<typeof KeySchema>
export type AccountData = Schema.Schema.Type<typeof AccountSchema>
export type SnapshotData = Schema.Schema.Type<typeof SnapshotV2>

const usedSchema = Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))

/** One journal line: a change, numbered, with the `last_used_at` stamps taken since the line before. */
export const EntrySchema = Schema.Union(
  Schema.Struct({ seq: Seq, op: Schema.Literal("account"), account: AccountSchema, used: usedSchema }),
  Schema.Struct({ seq: Seq, op: Schema.Literal("key"), key: KeySchema, used: usedSchema }),
  Schema.Struct({ seq: Seq, op: Schema.Literal("rename"), id: Schema.String, name: Schema.String, used: usedSchema }),
  Schema.Struct({ seq: Seq, op: Schema.Literal("revoke"), id: Schema.String, at: Schema.String, used: usedSchema }),
  Schema.Struct({ seq: Seq, op: Schema.Literal("used"), used: usedSchema })
)
export type EntryData = Schema.Schema.Type<typeof EntrySchema>

/** JSON.parse's complaint without the snippet of input V8 quotes (a version 1 file held a key). */
export const jsonProblem = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/,?\s*"[^]*" is not valid JSON$/, "").slice(0, 120)

/** `keys[3].hash is missing`: the first issue of a decode failure, on one line, values cut short. */
export const describeIssue = (error: ParseResult.ParseError): string => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  if (issue === undefined) return "does not match the schema"
  const path = issue.path.map((part, i) => typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`).join("")
  return `${path === "" ? "the value" : path} ${issue.message.slice(0, 160)}`
}

const decodeV1 = Schema.decodeUnknownEither(SnapshotV1)
const decodeV2 = Schema.decodeUnknownEither(SnapshotV2)

export type Loaded =
  | { readonly version: 2; readonly data: SnapshotData; readonly bytes: number }
  | { readonly version: 1; readonly data: Schema.Schema.Type<typeof SnapshotV1>; readonly bytes: number }

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
  const decoded: Either.Either<Loaded["data"], ParseResult.ParseError> = version === 2 ? decodeV2(json) : decodeV1(json)
  if (Either.isLeft(decoded)) throw new DataFileError(file, describeIssue(decoded.left))
  const data = decoded.right
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
