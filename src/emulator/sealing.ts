/**
 * The sealing key: AES-256-GCM for the copies of API keys that reveal decrypts. It never sits in
 * the data file: it comes from an option (the bin's `BYTEKIT_EMULATOR_SEALING_KEY`), a key file
 * (`--sealing-key-file`), or `<data file>.key`, made once (0600, exclusive create) beside the data.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto"
import { closeSync, fsyncSync, openSync, readFileSync, rmSync } from "node:fs"
import { dirname } from "node:path"
import { DataFileError, fsyncDirectory, writeAll } from "./datafile.js"

/** An encrypted API key, as stored. */
export interface Sealed {
  readonly iv: string
  readonly tag: string
  readonly data: string
}

/** Where the sealing key comes from; at most one of the two. */
export interface SealingOptions {
  /**
   * The sealing key itself: 32 bytes as base64 or hex (what the bin reads from
   * `BYTEKIT_EMULATOR_SEALING_KEY`). With a data file and neither option, `<data file>.key` is used
   * (and created with the data file).
   */
  readonly sealingKey?: string | undefined
  /** A file holding the sealing key (32 bytes as base64 or hex). */
  readonly sealingKeyFile?: string | undefined
}

const checkLabel = "bytekit-emulator sealing key check"

/** 32 bytes from base64 (standard or URL-safe) or hex; undefined for anything else. */
const parseKey = (text: string): Buffer | undefined => {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex")
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64")
    return bytes.length === 32 ? bytes : undefined
  }
  return undefined
}

/** AES-256-GCM with one key, held as a KeyObject in a private field (so inspect shows nothing of it). */
export class Sealer {
  readonly #key: KeyObject

  private constructor(key: Buffer, readonly source: string) {
    this.#key = createSecretKey(key)
  }

  /** A fresh key in memory only, for a store without a data file. */
  static random(): Sealer {
    return new Sealer(randomBytes(32), "memory")
  }

  /** A key of the old data format (version 1), to re-seal what it sealed. */
  static legacy(base64: string, file: string): Sealer {
    const key = Buffer.from(base64, "base64")
    if (key.length !== 32) throw new DataFileError(file, "secret is not a 32-byte base64 key")
    return new Sealer(key, file)
  }

  /**
   * The key for a data file: from the options, or `<data file>.key` (created when `create` is true,
   * i.e. when there is no data sealed with another key yet).
   */
  static forDataFile(dataFile: string, options: SealingOptions, create: boolean): Sealer {
    if (options.sealingKey !== undefined) return Sealer.fromOption(options)!
    const keyFile = options.sealingKeyFile ?? `${dataFile}.key`
    let text: string
    try {
      text = readFileSync(keyFile, "utf8")
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== "ENOENT") throw new DataFileError(keyFile, `the sealing key file cannot be read (${code ?? String(error)})`)
      if (options.sealingKeyFile !== undefined) throw new DataFileError(keyFile, "the sealing key file does not exist")
      if (!create) {
        throw new DataFileError(
          keyFile,
          `not found: the keys in ${dataFile} are sealed with it (restore it, or give --sealing-key-file or BYTEKIT_EMULATOR_SEALING_KEY)`
        )
      }
      return Sealer.create(keyFile)
    }
    const key = parseKey(text)
    if (key === undefined) throw new DataFileError(keyFile, "does not hold a sealing key (32 bytes as base64 or hex)")
    return new Sealer(key, keyFile)
  }

  /** The key given as `sealingKey`, checked; undefined when none is given. Never echoes the value. */
  static fromOption(options: SealingOptions): Sealer | undefined {
    if (options.sealingKey !== undefined && options.sealingKeyFile !== undefined) {
      throw new Error("give a sealing key or a sealing key file, not both")
    }
    if (options.sealingKey === undefined) return undefined
    const key = parseKey(options.sealingKey)
    if (key === undefined) throw new Error("the sealing key must be 32 bytes, as base64 (44 characters) or hex (64)")
    return new Sealer(key, "the given sealing key")
  }

  /** A new key file: exclusive create (never replaces a key), 0600, fsync'd with its directory. */
  private static create(keyFile: string): Sealer {
    const key = randomBytes(32)
    let fd: number
    try {
      fd = openSync(keyFile, "wx", 0o600)
    } catch (error) {
      throw new DataFileError(keyFile, `the sealing key file cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
    }
    let failure: NodeJS.ErrnoException | undefined
    try {
      writeAll(fd, Buffer.from(`${key.toString("base64")}\n`))
      fsyncSync(fd)
    } catch (error) {
      failure = error as NodeJS.ErrnoException
    } finally {
      closeSync(fd)
    }
    if (failure !== undefined) {
      // A half-written key file would stop the next start: take it back.
      rmSync(keyFile, { force: true })
      throw new DataFileError(keyFile, `the sealing key file cannot be written (${failure.code ?? String(failure)})`)
    }
    fsyncDirectory(dirname(keyFile))
    return new Sealer(key, keyFile)
  }

  /** A value that tells whether a key is this one, and nothing about the key (an HMAC of a label). */
  get check(): string {
    return createHmac("sha256", this.#key).update(checkLabel).digest("base64")
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv)
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") }
  }

  unseal(sealed: Sealed): string {
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(sealed.iv, "base64"))
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"))
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8")
  }
}
