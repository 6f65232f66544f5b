/**
 * The emulator's state: accounts, members and keys. Keys are kept as a SHA-256 hash for lookup
 * and an AES-256-GCM ciphertext for reveal, never as plaintext. Every change is one synchronous
 * step, so the 50-key cap holds however many creates arrive at once; with a data file, each change
 * is written (atomically, by rename) before it is answered.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs"

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

interface Sealed {
  readonly iv: string
  readonly tag: string
  readonly data: string
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

interface Snapshot {
  readonly version: 1
  readonly secret: string
  readonly accounts: Array<AccountRecord>
  readonly keys: Array<KeyRecord>
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

export class Store {
  private readonly accounts = new Map<string, AccountRecord>()
  private readonly keys = new Map<string, KeyRecord>()
  private readonly byHash = new Map<string, KeyRecord>()
  private readonly accountByUser = new Map<string, string>()
  private readonly secret: Buffer

  constructor(readonly environment: Environment, private readonly dataFile?: string) {
    const snapshot = dataFile !== undefined && existsSync(dataFile)
      ? (JSON.parse(readFileSync(dataFile, "utf8")) as Snapshot)
      : undefined
    this.secret = snapshot ? Buffer.from(snapshot.secret, "base64") : randomBytes(32)
    for (const account of snapshot?.accounts ?? []) this.addAccount(account)
    for (const key of snapshot?.keys ?? []) this.addKey(key)
  }

  /** Whether the store came back from a data file with accounts in it. */
  get restored(): boolean {
    return this.accounts.size > 0
  }

  private addAccount(account: AccountRecord): void {
    this.accounts.set(account.id, account)
    for (const user of account.members) this.accountByUser.set(user, account.id)
  }

  private addKey(key: KeyRecord): void {
    this.keys.set(key.id, key)
    this.byHash.set(key.hash, key)
  }

  /** Writes the whole state to the data file: temp file, fsync, rename, so a crash leaves old or new. */
  private persist(): void {
    if (this.dataFile === undefined) return
    const snapshot: Snapshot = {
      version: 1,
      secret: this.secret.toString("base64"),
      accounts: [...this.accounts.values()],
      keys: [...this.keys.values()]
    }
    const temp = `${this.dataFile}.${process.pid}.tmp`
    const fd = openSync(temp, "w", 0o600)
    try {
      writeSync(fd, JSON.stringify(snapshot))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, this.dataFile)
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
    this.addAccount(account)
    this.persist()
    return account
  }

  account(id: string): AccountRecord | undefined {
    return this.accounts.get(id)
  }

  accountOfUser(userId: string): AccountRecord | undefined {
    const id = this.accountByUser.get(userId)
    return id === undefined ? undefined : this.accounts.get(id)
  }

  private seal(plaintext: string): Sealed {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.secret, iv)
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") }
  }

  private unseal(sealed: Sealed): string {
    const decipher = createDecipheriv("aes-256-gcm", this.secret, Buffer.from(sealed.iv, "base64"))
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"))
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8")
  }

  activeCount(accountId: string): number {
    let count = 0
    for (const key of this.keys.values()) if (key.account_id === accountId && key.revoked_at === null) count++
    return count
  }

  /** Creates a key unless the account is at the cap; `revealable: false` makes a legacy key. */
  createKey(accountId: string, name: string, revealable = true): CreateResult {
    if (this.activeCount(accountId) >= maxActiveKeys) return "limit_reached"
    const plaintext = `sk_${this.environment}_${randomBase62(40)}`
    const record: KeyRecord = {
      id: `ak_${randomBase62(24)}`,
      account_id: accountId,
      name,
      hash: sha256(plaintext),
      sealed: revealable ? this.seal(plaintext) : null,
      prefix: plaintext.slice(0, 12),
      environment: this.environment,
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null
    }
    this.addKey(record)
    this.persist()
    return { record, plaintext }
  }

  /** The key a plaintext authenticates as, marking it used; undefined when unknown. */
  authenticate(plaintext: string): KeyRecord | undefined {
    const key = this.byHash.get(sha256(plaintext))
    if (key !== undefined && key.revoked_at === null) {
      key.last_used_at = new Date().toISOString()
    }
    return key
  }

  /** A key by id, whatever its account. */
  key(id: string): KeyRecord | undefined {
    return this.keys.get(id)
  }

  /** The account's keys, newest first. */
  list(accountId: string, includeRevoked: boolean): Array<KeyRecord> {
    const keys: Array<KeyRecord> = []
    for (const key of this.keys.values()) {
      if (key.account_id === accountId && (includeRevoked || key.revoked_at === null)) keys.push(key)
    }
    // Insertion order is creation order; reversed, newest first even within one millisecond.
    return keys.reverse()
  }

  rename(key: KeyRecord, name: string): void {
    key.name = name
    this.persist()
  }

  revoke(key: KeyRecord): void {
    if (key.revoked_at !== null) return
    key.revoked_at = new Date().toISOString()
    this.persist()
  }

  reveal(key: KeyRecord): string {
    if (key.sealed === null) throw new Error("reveal of a legacy key")
    return this.unseal(key.sealed)
  }

  /** Persists `last_used_at` changes, which are not worth a write per request. */
  flush(): void {
    this.persist()
  }
}
