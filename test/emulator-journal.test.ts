/**
 * The store's journal on a real disk, in process: one line per change, compaction that a crash
 * cannot double, bounded history, an O(1) active count, `last_used_at` stamps that ride along, and a
 * torn tail cut before the next append.
 */
import { execFileSync } from "node:child_process"
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Store, type StoreOptions } from "../src/emulator/store.js"

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const fresh = (options: Omit<StoreOptions, "dataFile"> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), "bytekit-journal-"))
  dirs.push(dir)
  const dataFile = join(dir, "state.json")
  const open = (more: Omit<StoreOptions, "dataFile"> = {}) => new Store("test", { dataFile, ...options, ...more })
  const store = open()
  const account = store.createAccount({ name: "A", email: "a@example.com", owner: "user_a" })
  return { dir, dataFile, journal: `${dataFile}.journal`, store, account, open }
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter((line) => line !== "")

/** What a store shows of an account: every key's id, name and revocation, newest first. */
const view = (store: Store, accountId: string) =>
  store.list(accountId, true).map((key) => ({ id: key.id, name: key.name, revoked: key.revoked_at !== null }))

const create = (store: Store, accountId: string, name: string) => {
  const created = store.createKey(accountId, name)
  if (created === "limit_reached") throw new Error("at the cap")
  return created
}

describe("a change is one journal line", () => {
  it("create, rename and revoke each append one line and leave the data file as it was", () => {
    const { dataFile, journal, store, account } = fresh({ compactAfterBytes: 1e9 })
    const data = readFileSync(dataFile, "utf8")
    const inode = statSync(dataFile).ino
    const before = lines(journal).length
    const { record } = create(store, account.id, "one")
    store.rename(record, "renamed")
    store.revoke(store.key(record.id)!)
    store.revoke(store.key(record.id)!) // already revoked: nothing to write
    const added = lines(journal).slice(before).map((line) => JSON.parse(line))
    expect(added.map((entry) => entry.op)).toEqual(["key", "rename", "revoke"])
    expect(added.map((entry) => entry.seq)).toEqual([before + 1, before + 2, before + 3])
    expect(readFileSync(dataFile, "utf8")).toBe(data)
    expect(statSync(dataFile).ino).toBe(inode)
  })
})

describe("compaction", () => {
  it("folds the journal into the data file; replaying a journal the data file already holds changes nothing", () => {
    const { dataFile, journal, store, account, open } = fresh({ compactAfterBytes: 1e9 })
    for (let i = 0; i < 5; i++) create(store, account.id, `k${i}`)
    store.revoke(store.list(account.id, false)[0]!)
    const expected = view(store, account.id)
    const replayed = readFileSync(journal)
    store.compact()
    expect(statSync(journal).size).toBe(0)
    const lastSeq = JSON.parse(replayed.toString().trim().split("\n").at(-1)!).seq
    expect(JSON.parse(readFileSync(dataFile, "utf8")).seq).toBe(lastSeq)

    // A crash between the rename and the truncation leaves the old journal beside the new data file.
    writeFileSync(journal, replayed)
    const again = open()
    expect(view(again, account.id)).toEqual(expected)
    // And the next change follows on.
    create(again, account.id, "after")
    expect(view(open(), account.id).map((k) => k.name)).toEqual(["after", ...expected.map((k) => k.name)])
  })

  it("keeps what is on disk bounded under churn: the journal is folded in once it outgrows the data file", () => {
    const { dataFile, journal, store, account } = fresh({ compactAfterBytes: 4 * 1024, keepRevokedKeys: 20 })
    let largest = 0
    for (let i = 0; i < 200; i++) {
      store.revoke(create(store, account.id, `k${i}`).record)
      largest = Math.max(largest, statSync(journal).size)
    }
    const data = statSync(dataFile).size
    expect(JSON.parse(readFileSync(dataFile, "utf8")).keys.length).toBeLessThanOrEqual(21)
    expect(largest).toBeLessThan(Math.max(4 * 1024, data) + 2048)
  })
})

describe("revoked history is bounded; active keys are counted", () => {
  it("forgets the oldest revocations past keepRevokedKeys, never an active key, and the same after a restart", () => {
    const { store, account, open } = fresh({ keepRevokedKeys: 3 })
    const keys = Array.from({ length: 6 }, (_, i) => create(store, account.id, `k${i}`))
    for (const { record } of keys.slice(0, 5)) store.revoke(record)
    const shown = view(store, account.id).map((k) => k.name)
    expect(shown).toEqual(["k5", "k4", "k3", "k2"])
    expect(store.key(keys[0]!.record.id)).toBeUndefined()
    expect(store.authenticate(keys[0]!.plaintext)).toBeUndefined()
    expect(store.authenticate(keys[5]!.plaintext)?.id).toBe(keys[5]!.record.id)
    expect(view(open(), account.id).map((k) => k.name)).toEqual(shown)
  })

  it("activeCount follows creates, revokes, the cap and a restart", () => {
    const { store, account, open } = fresh()
    const keys = Array.from({ length: 50 }, (_, i) => create(store, account.id, `k${i}`))
    expect(store.activeCount(account.id)).toBe(50)
    expect(store.createKey(account.id, "over")).toBe("limit_reached")
    for (const { record } of keys.slice(0, 10)) store.revoke(record)
    expect(store.activeCount(account.id)).toBe(40)
    expect(open().activeCount(account.id)).toBe(40)
  })
})

describe("last_used_at", () => {
  it("rides on the next change, and flush writes what is left", () => {
    const { dataFile, journal, store, account, open } = fresh()
    const first = create(store, account.id, "first")
    const second = create(store, account.id, "second")
    const used = store.authenticate(first.plaintext)!.last_used_at
    create(store, account.id, "third")
    const later = store.authenticate(second.plaintext)!.last_used_at
    // A copy of the files now: what a crash would leave (the second stamp not yet written).
    const crashed = fresh()
    copyFileSync(dataFile, crashed.dataFile)
    copyFileSync(journal, crashed.journal)
    copyFileSync(`${dataFile}.key`, `${crashed.dataFile}.key`)
    const afterCrash = crashed.open()
    expect(afterCrash.key(first.record.id)!.last_used_at).toBe(used)
    expect(afterCrash.key(second.record.id)!.last_used_at).toBeNull()
    store.flush()
    expect(open().key(second.record.id)!.last_used_at).toBe(later)
  })
})

/** Whether `chattr +i` works here (root on a filesystem with attributes). */
const chattrWorks = (() => {
  try {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-chattr-"))
    dirs.push(dir)
    const probe = join(dir, "probe")
    writeFileSync(probe, "")
    execFileSync("chattr", ["+i", probe], { stdio: "ignore" })
    execFileSync("chattr", ["-i", probe], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

describe("a torn journal tail", () => {
  it.skipIf(!chattrWorks)("is cut before the next append even when compaction cannot run (data file immutable)", () => {
    const { dataFile, journal, store, account, open } = fresh({ compactAfterBytes: 1e9 })
    create(store, account.id, "whole")
    store.flush()
    appendFileSync(journal, '{"seq": 99, "op": "ke') // a crash mid-write
    execFileSync("chattr", ["+i", dataFile])
    try {
      const reopened = open()
      expect(view(reopened, account.id).map((k) => k.name)).toEqual(["whole"])
      create(reopened, account.id, "next")
      reopened.flush()
      expect(readFileSync(journal, "utf8")).not.toContain('"ke\n')
      expect(lines(journal).every((line) => JSON.parse(line).seq > 0)).toBe(true)
    } finally {
      execFileSync("chattr", ["-i", dataFile])
    }
    expect(view(open(), account.id).map((k) => k.name)).toEqual(["next", "whole"])
  })
})
