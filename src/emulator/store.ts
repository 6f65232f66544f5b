/**
 * The emulator's state: accounts, members and keys. Keys are kept as a SHA-256 hash for lookup
 * and an AES-256-GCM ciphertext for reveal, never as plaintext; the sealing key lives apart from
 * the data (sealing.ts). Every change is one synchronous step, so the 50-key cap holds however
 * many creates arrive at once. With a data file, a change is first appended to the journal and
 * fsync'd, and only then applied in memory and answered: a change the disk refuses leaves no
 * trace. The journal is folded into the data file (compaction) once it outgrows it.
 */
import { createHash, randomBytes } from "node:crypto"
import { type AccountData, DataFileError, type EntryData, type KeyData, readDataFile, writeAtomically } from "./datafile.js"
import { Journal, readJournal } from "./journal.js"
import { type Sealed, Sealer, type SealingOptions } from "./sealing.js"

/** The active-key cap per account. */
export const maxActiveKeys = 50

export type Environment = "live" | "test"

export interface PlanRecord {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly included_screenshots: number
  readonly has_overage: boolean
  readonly overage_price_cents: number
  readonly max_concurrency: number
  readonly rate_limit_per_sec: number
  readonly max_bulk_size: number
  readonly max_monitors: number
  readonly retention_days: number
}

export interface AccountRecord {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly owner_user_id: string
  readonly members: Array<string>
  readonly created_at: string
}

export interface KeyRecord {
  readonly id: string
  readonly account_id: string
  name: string
  readonly hash: string
  /** The encrypted key; null for keys made before reveal existed. */
  readonly sealed: Sealed | null
  readonly prefix: string
  readonly environment: Environment
  readonly created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

/** Where and how the emulator keeps its state. */
export interface StorageOptions extends SealingOptions {
  /**
   * A file to keep state in across restarts, with `<file>.journal` (changes since the file was last
   * written) and, unless a sealing key is given, `<file>.key`. In memory when absent.
   */
  readonly dataFile?: string | undefined
  /**
   * Revoked keys kept per account (listed with `include_revoked=true`); past this many, the oldest
   * revocations are forgotten (their id answers 404). Default 1000.
   */
  readonly keepRevokedKeys?: number | undefined
}

export interface StoreOptions extends StorageOptions {
  /** The journal size past which it is folded into the data file (or the data file's size, if larger). Default 64 KiB. */
  readonly compactAfterBytes?: number | undefined
}

/** One change, as the journal records it and memory applies it. */
type Change =
  | { readonly op: "account"; readonly account: AccountRecord }
  | { readonly op: "key"; readonly key: KeyRecord }
  | { readonly op: "rename"; readonly id: string; readonly name: string }
  | { readonly op: "revoke"; readonly id: string; readonly at: string }
  | { readonly op: "used" }

/** An account's keys: all of them and the active ones in creation order, revoked ids oldest revocation first. */
interface Holdings {
  readonly all: Map<string, KeyRecord>
  readonly active: Map<string, KeyRecord>
  readonly revoked: Array<string>
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** Uniform base62 characters (rejection sampling keeps every character equally likely). */
const randomBase62 = (length: number): string => {
  let out = ""
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += base62[byte % 62]
    }
  }
  return out
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

export const plan: PlanRecord = {
  id: "plan_starter",
  slug: "starter",
  name: "Starter",
  included_screenshots: 5000,
  has_overage: true,
  overage_price_cents: 2,
  max_concurrency: 5,
  rate_limit_per_sec: 10,
  max_bulk_size: 100,
  max_monitors: 10,
  retention_days: 30
}

export type CreateResult = { readonly record: KeyRecord; readonly plaintext: string } | "limit_reached"

const accountOf = (account: AccountData): AccountRecord => ({ ...account, members: [...account.members] })
const keyOf = (key: KeyData): KeyRecord => ({ ...key })

/** A journal line as a change in memory (fresh, mutable records). */
const changeOf = (entry: EntryData): Change => {
  switch (entry.op) {
    case "account":
      return { op: "account", account: accountOf(entry.account) }
    case "key":
      return { op: "key", key: keyOf(entry.key) }
    case "rename":
      return { op: "rename", id: entry.id, name: entry.name }
    case "revoke":
      return { op: "revoke", id: entry.id, at: entry.at }
    case "used":
      return { op: "used" }
  }
}

export class Store {
  private readonly accounts = new Map<string, AccountRecord>()
  private readonly holdings = new Map<string, Holdings>()
  private readonly keys = new Map<string, KeyRecord>()
  private readonly byHash = new Map<string, KeyRecord>()
  private readonly accountByUser = new Map<string, string>()
  private readonly sealer: Sealer
  private readonly sealingCheck: string
  private readonly dataFile: string | undefined
  private readonly journal: Journal | undefined
  private readonly keepRevoked: number
  private readonly compactAfter: number
  /** `last_used_at` stamps not yet written: they ride on the next journal line (not worth a write each). */
  private readonly pendingUsed = new Map<string, string>()
  /** The number of the last change written. */
  private seq = 0
  private snapshotBytes = 0
  /** After a failed compaction, the journal size at which to try again. */
  private retryCompactionAt = 0

  /** Loads (and validates) the data file and replays its journal; throws `DataFileError` when they do not load. */
  constructor(readonly environment: Environment, options: StoreOptions = {}) {
    this.keepRevoked = Math.max(0, options.keepRevokedKeys ?? 1000)
    this.compactAfter = options.compactAfterBytes ?? 64 * 1024
    const dataFile = options.dataFile
    this.dataFile = dataFile
    if (dataFile === undefined) {
      this.sealer = Sealer.fromOption(options) ?? Sealer.random()
      this.sealingCheck = this.sealer.check
      this.journal = undefined
      return
    }

    // Everything is read and checked before anything is written: a file that does not load is left as it is.
    const loaded = readDataFile(dataFile)
    const journalPath = `${dataFile}.journal`
    const replay = readJournal(journalPath, loaded?.version === 2 ? loaded.data.seq : 0)
    if (replay.nonEmpty && loaded?.version !== 2) {
      throw new DataFileError(
        journalPath,
        loaded === undefined
          ? `holds changes but ${dataFile} does not exist (restore the data file, or remove the journal to start afresh)`
          : `holds changes but ${dataFile} is a version 1 file, which never had a journal`
      )
    }
    // Version 1 kept its AES key inside: open every sealed key with it now, re-seal them below.
    const legacy = loaded?.version === 1 ? Sealer.legacy(loaded.data.secret, dataFile) : undefined
    const plaintexts = new Map<string, string>()
    if (legacy !== undefined) {
      for (const [i, key] of loaded!.data.keys.entries()) {
        if (key.sealed === null) continue
        try {
          plaintexts.set(key.id, legacy.unseal(key.sealed))
        } catch {
          throw new DataFileError(dataFile, `keys[${i}]: key ${key.id} does not open with the file's secret`)
        }
      }
    }
    // A key file is made only while nothing is sealed with another key: a new data file, or version 1 moving out.
    this.sealer = Sealer.forDataFile(dataFile, options, loaded === undefined || loaded.version === 1)
    this.sealingCheck = this.sealer.check
    if (loaded?.version === 2 && loaded.data.sealing.check !== this.sealingCheck) {
      throw new DataFileError(dataFile, `${this.sealer.source} does not match the key this file was sealed with`)
    }

    if (loaded !== undefined) {
      for (const account of loaded.data.accounts) this.addAccount(accountOf(account))
      for (const key of loaded.data.keys) {
        const plaintext = plaintexts.get(key.id)
        this.addKey(plaintext === undefined ? keyOf(key) : { ...keyOf(key), sealed: this.sealer.seal(plaintext) })
      }
      for (const holdings of this.holdings.values()) {
        // Revocation order, oldest first (creation order among equal times: the sort is stable).
        holdings.revoked.sort((a, b) => (this.keys.get(a)!.revoked_at! < this.keys.get(b)!.revoked_at! ? -1 : this.keys.get(a)!.revoked_at! > this.keys.get(b)!.revoked_at! ? 1 : 0))
        this.prune(holdings)
      }
      this.seq = loaded.version === 2 ? loaded.data.seq : 0
      this.snapshotBytes = loaded.bytes
    }
    for (const { entry, line } of replay.entries) {
      const change = changeOf(entry)
      const problem = this.problemWith(change)
      if (problem !== undefined) throw new DataFileError(journalPath, `line ${line} (change ${entry.seq}) ${problem}; the journal is damaged`)
      this.apply(change)
      for (const [id, at] of Object.entries(entry.used ?? {})) {
        const key = this.keys.get(id)
        if (key !== undefined) key.last_used_at = at
      }
      this.seq = entry.seq
    }
    this.journal = new Journal(journalPath, replay)

    if (loaded === undefined || loaded.version === 1) {
      // A new file, or the migration of a version 1 file: it must be written before anything is answered.
      try {
        this.compact()
      } catch (error) {
        if (error instanceof DataFileError) throw error
        throw new DataFileError(dataFile, `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
      }
    } else if (replay.nonEmpty) {
      // Fold the journal in now, torn tail and all; if the disk refuses, the journal still holds everything.
      this.tryCompact()
    }
  }

  /** Whether the store came back from a data file with accounts in it. */
  get restored(): boolean {
    return this.accounts.size > 0
  }

  private addAccount(account: AccountRecord): void {
    this.accounts.set(account.id, account)
    this.holdings.set(account.id, { all: new Map(), active: new Map(), revoked: [] })
    for (const user of account.members) this.accountByUser.set(user, account.id)
  }

  private addKey(key: KeyRecord): void {
    this.keys.set(key.id, key)
    this.byHash.set(key.hash, key)
    const holdings = this.holdings.get(key.account_id)!
    holdings.all.set(key.id, key)
    if (key.revoked_at === null) holdings.active.set(key.id, key)
    else holdings.revoked.push(key.id)
  }

  /** Forgets the oldest revoked keys past `keepRevokedKeys`: history stays bounded. */
  private prune(holdings: Holdings): void {
    while (holdings.revoked.length > this.keepRevoked) {
      const id = holdings.revoked.shift()!
      const key = this.keys.get(id)!
      this.keys.delete(id)
      this.byHash.delete(key.hash)
      holdings.all.delete(id)
      this.pendingUsed.delete(id)
    }
  }

  /** Why a change cannot apply to the state (what replay reports as damage); undefined when it can. */
  private problemWith(change: Change): string | undefined {
    switch (change.op) {
      case "account":
        return this.accounts.has(change.account.id) ? `adds account ${change.account.id}, which exists` : undefined
      case "key":
        return this.keys.has(change.key.id) || this.byHash.has(change.key.hash)
          ? `adds key ${change.key.id}, which exists`
          : this.holdings.has(change.key.account_id)
          ? undefined
          : `adds key ${change.key.id} to account ${change.key.account_id}, which does not exist`
      case "rename":
      case "revoke":
        return this.keys.has(change.id) ? undefined : `changes key ${change.id}, which does not exist`
      case "used":
        return undefined
    }
  }

  private apply(change: Change): void {
    switch (change.op) {
      case "account":
        return this.addAccount(change.account)
      case "key":
        return this.addKey(change.key)
      case "rename":
        this.keys.get(change.id)!.name = change.name
        return
      case "revoke": {
        const key = this.keys.get(change.id)!
        if (key.revoked_at !== null) return
        key.revoked_at = change.at
        const holdings = this.holdings.get(key.account_id)!
        holdings.active.delete(key.id)
        holdings.revoked.push(key.id)
        this.prune(holdings)
        return
      }
      case "used":
        return
    }
  }

  /**
   * Makes a change durable, then applies it: with a data file, one journal line written and
   * fsync'd first. Throws, changing nothing in memory, when the disk refuses.
   */
  private commit(change: Change): void {
    const problem = this.problemWith(change)
    if (problem !== undefined) throw new Error(`the change ${problem}`)
    if (this.journal !== undefined) {
      const used = this.pendingUsed.size === 0 ? undefined : Object.fromEntries(this.pendingUsed)
      const entry = { seq: this.seq + 1, ...change, ...(used === undefined ? {} : { used }) } as EntryData
      this.journal.append(entry)
      this.seq++
      this.pendingUsed.clear()
    }
    this.apply(change)
    this.maybeCompact()
  }

  private snapshot() {
    return {
      version: 2,
      seq: this.seq,
      sealing: { algorithm: "aes-256-gcm", check: this.sealingCheck },
      accounts: [...this.accounts.values()],
      keys: [...this.keys.values()]
    } as const
  }

  /**
   * Writes the whole state as the data file (temp file, fsync, rename, fsync of the directory),
   * then empties the journal. A crash in between is harmless: the data file records the last change
   * it holds, and replay skips journal lines up to it. Throws when the disk refuses.
   */
  compact(): void {
    if (this.dataFile === undefined || this.journal === undefined) return
    const text = JSON.stringify(this.snapshot())
    writeAtomically(this.dataFile, text)
    this.snapshotBytes = Buffer.byteLength(text)
    this.retryCompactionAt = 0
    // The data file now holds the stamps too.
    this.pendingUsed.clear()
    this.journal.reset()
  }

  private tryCompact(): void {
    try {
      this.compact()
    } catch {
      // The journal still holds every change; try again once it has grown some more.
      this.retryCompactionAt = (this.journal?.bytes ?? 0) + this.compactAfter
    }
  }

  /** Compacts once the journal outgrows the data file (and `compactAfterBytes`): amortized, a flat cost per change. */
  private maybeCompact(): void {
    if (this.journal === undefined) return
    const bytes = this.journal.bytes
    if (bytes >= Math.max(this.compactAfter, this.snapshotBytes, this.retryCompactionAt)) this.tryCompact()
  }

  createAccount(input: { id?: string; name: string; email: string; owner: string; members?: Array<string> }): AccountRecord {
    const account: AccountRecord = {
      id: input.id ?? `acct_${randomBase62(16)}`,
      name: input.name,
      email: input.email,
      owner_user_id: input.owner,
      members: [input.owner, ...(input.members ?? [])],
      created_at: new Date().toISOString()
    }
    this.commit({ op: "account", account })
    return account
  }

  account(id: string): AccountRecord | undefined {
    return this.accounts.get(id)
  }

  accountOfUser(userId: string): AccountRecord | undefined {
    const id = this.accountByUser.get(userId)
    return id === undefined ? undefined : this.accounts.get(id)
  }

  /** Active keys of the account (a counter, not a scan). */
  activeCount(accountId: string): number {
    return this.holdings.get(accountId)?.active.size ?? 0
  }

  /** Creates a key unless the account is at the cap; `revealable: false` makes a legacy key. */
  createKey(accountId: string, name: string, revealable = true): CreateResult {
    if (!this.holdings.has(accountId)) throw new Error(`no account ${accountId}`)
    if (this.activeCount(accountId) >= maxActiveKeys) return "limit_reached"
    const plaintext = `sk_${this.environment}_${randomBase62(40)}`
    const record: KeyRecord = {
      id: `ak_${randomBase62(24)}`,
      account_id: accountId,
      name,
      hash: sha256(plaintext),
      sealed: revealable ? this.sealer.seal(plaintext) : null,
      prefix: plaintext.slice(0, 12),
      environment: this.environment,
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null
    }
    this.commit({ op: "key", key: record })
    return { record, plaintext }
  }

  /** The key a plaintext authenticates as, marking it used; undefined when unknown. */
  authenticate(plaintext: string): KeyRecord | undefined {
    const key = this.byHash.get(sha256(plaintext))
    if (key !== undefined && key.revoked_at === null) {
      key.last_used_at = new Date().toISOString()
      if (this.journal !== undefined) this.pendingUsed.set(key.id, key.last_used_at)
    }
    return key
  }

  /** A key by id, whatever its account. */
  key(id: string): KeyRecord | undefined {
    return this.keys.get(id)
  }

  /** The account's keys, newest first. */
  list(accountId: string, includeRevoked: boolean): Array<KeyRecord> {
    const holdings = this.holdings.get(accountId)
    if (holdings === undefined) return []
    // Insertion order is creation order; reversed, newest first even within one millisecond.
    return [...(includeRevoked ? holdings.all : holdings.active).values()].reverse()
  }

  /** Renames a key; throws, leaving the old name, when the change cannot be written. */
  rename(key: KeyRecord, name: string): void {
    this.commit({ op: "rename", id: key.id, name })
  }

  /** Revokes a key (idempotent); throws, leaving it active, when the change cannot be written. */
  revoke(key: KeyRecord): void {
    if (key.revoked_at !== null) return
    this.commit({ op: "revoke", id: key.id, at: new Date().toISOString() })
  }

  reveal(key: KeyRecord): string {
    if (key.sealed === null) throw new Error("reveal of a legacy key")
    return this.sealer.unseal(key.sealed)
  }

  /** Writes pending `last_used_at` stamps (best effort) and closes the journal; a later change opens it again. */
  flush(): void {
    if (this.journal === undefined) return
    try {
      if (this.pendingUsed.size > 0) this.commit({ op: "used" })
    } catch {
      // Stamps are not worth failing a shutdown for.
    }
    this.journal.close()
  }
}
