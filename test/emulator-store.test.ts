/**
 * The emulator's store on a real disk, through the built bin in child processes:
 * a change the disk refuses leaves no trace, the sealing key lives apart from the data, a data file
 * that does not validate is refused (and left as it is), and kill -9 mid-burst loses no acknowledged
 * change, with a healthy disk, an immutable one (`chattr +i`) and a full one (a small tmpfs).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { createDecipheriv, createHash, randomBytes, createCipheriv } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, statfsSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { afterAll, describe, expect, it } from "vitest"

type Started = { readonly url: string; readonly api_key: string; readonly child: ChildProcess; readonly exited: Promise<number | null> }
type Refused = { readonly code: number | null; readonly stderr: string }

/** Every child still running, killed after the tests whatever happened. */
const children = new Set<ChildProcess>()

/** The built bin in a child process: started (its JSON line read), or exited (its code and stderr). */
const launch = (args: Array<string>, env: Record<string, string> = {}): Promise<Started | Refused> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/emulator-bin.js", "--port", "0", "--json", ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr!.on("data", (chunk) => (stderr += chunk))
    children.add(child)
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    void exited.then(() => children.delete(child))
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ ...JSON.parse(line), child, exited }))
    void exited.then((code) => resolve({ code, stderr }))
  })

const start = async (args: Array<string>, env: Record<string, string> = {}): Promise<Started> => {
  const launched = await launch(args, env)
  if (!("url" in launched)) throw new Error(`the emulator did not start (${launched.code}): ${launched.stderr}`)
  return launched
}

const kill9 = async (emulator: Started) => {
  emulator.child.kill("SIGKILL")
  await emulator.exited
}

const stop = async (emulator: Started) => {
  emulator.child.kill("SIGTERM")
  await emulator.exited
}

const api = (url: string, token: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, json: (text === "" ? undefined : JSON.parse(text)) as any }
}

type Listed = { id: string; name: string; revoked_at: string | null }
const listAll = async (emulator: Started): Promise<Array<Listed>> => {
  const { status, json } = await api(emulator.url, emulator.api_key)("GET", "/v1/account/api-keys?include_revoked=true")
  expect(status).toBe(200)
  return json.data
}

const dirs: Array<string> = []
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "bytekit-store-"))
  dirs.push(dir)
  return dir
}

/** Whether `chattr +i` works here (root on a filesystem with attributes): the real unwritable disk. */
const chattrWorks = (() => {
  try {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-chattr-"))
    dirs.push(dir)
    const probe = join(dir, "probe")
    writeFileSync(probe, "")
    execFileSync("chattr", ["+i", probe], { stdio: "ignore" })
    const immutable = execFileSync("lsattr", [probe], { encoding: "utf8" }).split(" ")[0]!.includes("i")
    execFileSync("chattr", ["-i", probe], { stdio: "ignore" })
    return immutable
  } catch {
    return false
  }
})()

/** Makes the directory and every file in it immutable (no write, create, rename or truncate), or lifts it. */
const failing = (dir: string, on: boolean) => {
  // The directory first: once it is immutable no file comes or goes, so the listing holds.
  execFileSync("chattr", [on ? "+i" : "-i", dir])
  const files = readdirSync(dir).map((name) => join(dir, name))
  if (files.length > 0) execFileSync("chattr", [on ? "+i" : "-i", ...files])
}

afterAll(() => {
  for (const child of children) child.kill("SIGKILL")
  for (const dir of dirs) {
    if (chattrWorks) failing(dir, false)
    rmSync(dir, { recursive: true, force: true })
  }
})

describe.skipIf(!chattrWorks)("a change the disk refuses leaves no trace in memory or on disk", () => {
  it("a create answered 500 never appears and does not count toward the cap", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const first = await start(["--data", file])
    const call = api(first.url, first.api_key)
    // 49 active with the bootstrap key: one short of the cap.
    for (let i = 0; i < 48; i++) expect((await call("POST", "/v1/account/api-keys", { name: `k${i}` })).status).toBe(201)
    failing(dir, true)
    expect((await call("POST", "/v1/account/api-keys", { name: "refused" })).status).toBe(500)
    expect((await call("POST", "/v1/account/api-keys", { name: "refused again" })).status).toBe(500)
    expect((await listAll(first)).map((k) => k.name)).not.toContain("refused")
    failing(dir, false)
    expect((await call("POST", "/v1/account/api-keys", { name: "fiftieth" })).status).toBe(201)
    expect((await call("POST", "/v1/account/api-keys", { name: "fifty-first" })).status).toBe(409)
    await kill9(first)

    const second = await start(["--data", file])
    try {
      const names = (await listAll(second)).map((k) => k.name)
      expect(names).toHaveLength(50)
      expect(names).toContain("fiftieth")
      expect(names).not.toContain("refused")
      expect(names).not.toContain("refused again")
    } finally {
      await stop(second)
    }
  })

  it("a DELETE answered 500 leaves the key active, so the retried DELETE writes before it answers 204", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const first = await start(["--data", file])
    const created = (await api(first.url, first.api_key)("POST", "/v1/account/api-keys", { name: "doomed" })).json
    const asKey = api(first.url, created.key)
    failing(dir, true)
    expect((await asKey("DELETE", `/v1/account/api-keys/${created.id}`)).status).toBe(500)
    // Not durable, so not revoked: the key still works and the retry tries the write again.
    expect((await asKey("GET", "/v1/account")).status).toBe(200)
    expect((await asKey("DELETE", `/v1/account/api-keys/${created.id}`)).status).toBe(500)
    expect((await asKey("PATCH", `/v1/account/api-keys/${created.id}`, { name: "renamed" })).status).toBe(500)
    expect((await asKey("GET", `/v1/account/api-keys/${created.id}`)).json).toMatchObject({ name: "doomed", revoked_at: null })
    failing(dir, false)
    await kill9(first)

    const second = await start(["--data", file])
    const again = api(second.url, created.key)
    expect((await again("GET", "/v1/account")).status).toBe(200)
    expect((await again("DELETE", `/v1/account/api-keys/${created.id}`)).status).toBe(204)
    await kill9(second)

    const third = await start(["--data", file])
    try {
      expect((await api(third.url, created.key)("GET", "/v1/account")).status).toBe(401)
      expect((await listAll(third)).find((k) => k.id === created.id)?.revoked_at).not.toBeNull()
    } finally {
      await stop(third)
    }
  })
})

/** What one burst saw: the answer of every create (by name) and revoke (by id). */
interface Round {
  readonly created: Map<string, { id: string; key: string }>
  readonly refusedNames: Set<string>
  readonly revoked: Set<string>
  readonly refusedRevokes: Set<string>
  readonly unknownRevokes: Set<string>
  /** Answers 500: changes the disk refused. */
  refused500: number
}

/**
 * A burst of 40 creates and up to 10 revokes, four at a time; after `failAt` answers the disk starts failing
 * (`onFail`), after `recoverAt` it works again (`onRecover`), after `killAt` answers the emulator
 * gets kill -9. Returns what was answered.
 */
const burst = async (
  emulator: Started,
  round: number,
  options: {
    readonly failAt?: number
    readonly onFail?: () => void
    readonly recoverAt?: number
    readonly onRecover?: () => void
    readonly killAt: number
  }
): Promise<Round> => {
  const call = api(emulator.url, emulator.api_key)
  const active = (await listAll(emulator)).filter((k) => k.revoked_at === null && k.name !== "Bootstrap key")
  const result: Round = {
    created: new Map(),
    refusedNames: new Set(),
    revoked: new Set(),
    refusedRevokes: new Set(),
    unknownRevokes: new Set(),
    refused500: 0
  }
  let answered = 0
  const answer = () => {
    answered++
    if (answered === options.failAt) options.onFail?.()
    if (answered === options.recoverAt) options.onRecover?.()
    if (answered === options.killAt) emulator.child.kill("SIGKILL")
  }
  const creates = Array.from({ length: 40 }, (_, i) => `r${round}-k${i}`).map((name) => () =>
    call("POST", "/v1/account/api-keys", { name }).then(
      ({ status, json }) => {
        if (status === 201) result.created.set(name, { id: json.id, key: json.key })
        else if (status === 409 || status === 500) result.refusedNames.add(name)
        else throw new Error(`create answered ${status}`)
        if (status === 500) result.refused500++
        answer()
      },
      () => undefined // no answer: the outcome is unknown
    )
  )
  const revokes = active.slice(0, 10).map(({ id }) => () =>
    call("DELETE", `/v1/account/api-keys/${id}`).then(
      ({ status }) => {
        if (status === 204) result.revoked.add(id)
        else if (status === 500) result.refusedRevokes.add(id)
        else throw new Error(`revoke answered ${status}`)
        if (status === 500) result.refused500++
        answer()
      },
      () => result.unknownRevokes.add(id)
    )
  )
  // Four in flight at a time, creates and revokes interleaved: concurrent enough to race, and the
  // requests after `failAt` are sent once the disk fails, however fast the emulator answers.
  const queue = creates.flatMap((create, i) => (i % 4 === 0 && revokes[i / 4] ? [create, revokes[i / 4]!] : [create]))
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await next()
  }))
  emulator.child.kill("SIGKILL") // in case fewer than killAt were answered
  await emulator.exited
  return result
}

/** After a restart: every answered change is there, no refused one is, and at most 50 keys are active. */
const check = async (emulator: Started, history: Array<Round>) => {
  const keys = await listAll(emulator)
  const byId = new Map(keys.map((k) => [k.id, k]))
  const names = new Set(keys.map((k) => k.name))
  expect(byId.size).toBe(keys.length)
  expect(keys.filter((k) => k.revoked_at === null).length).toBeLessThanOrEqual(50)
  for (const round of history) {
    for (const { id } of round.created.values()) expect(byId.has(id)).toBe(true)
    for (const name of round.refusedNames) expect(names.has(name)).toBe(false)
    for (const id of round.revoked) expect(byId.get(id)?.revoked_at).not.toBeNull()
  }
  // A revoke answered 500 in the last round (and not also tried with no answer) left its key active.
  const last = history[history.length - 1]!
  for (const id of last.refusedRevokes) {
    if (!last.unknownRevokes.has(id)) expect(byId.get(id)?.revoked_at).toBeNull()
  }
  // An acknowledged create that was not revoked still authenticates; an acknowledged revoke does not.
  for (const { id, key } of last.created.values()) {
    const status = (await api(emulator.url, key)("GET", "/v1/account")).status
    expect(status).toBe(byId.get(id)!.revoked_at === null ? 200 : 401)
  }
}

describe("kill -9 during a burst of creates and revokes", () => {
  it("healthy disk, three rounds on one data file: every acknowledged change survives, the cap holds", async () => {
    const file = join(freshDir(), "state.json")
    const history: Array<Round> = []
    let emulator = await start(["--data", file])
    for (let round = 0; round < 3; round++) {
      history.push(await burst(emulator, round, { killAt: 35 }))
      emulator = await start(["--data", file])
      await check(emulator, history)
    }
    await stop(emulator)
    expect(history.some((r) => r.refusedNames.size > 0)).toBe(true) // the cap was reached
    expect(history.every((r) => r.refused500 === 0)).toBe(true)
  })

  it.skipIf(!chattrWorks)("disk failing mid-burst (chattr +i), three rounds: acknowledged changes survive, refused ones never appear", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const history: Array<Round> = []
    let emulator = await start(["--data", file])
    for (let round = 0; round < 3; round++) {
      // The disk comes back before the kill in the first two rounds (later writes must not carry
      // refused changes along); in the last, the emulator dies while it still fails.
      history.push(await burst(emulator, round, {
        failAt: 8 + round * 4,
        onFail: () => failing(dir, true),
        ...(round < 2 ? { recoverAt: 20 + round * 4, onRecover: () => failing(dir, false) } : {}),
        killAt: 40
      }))
      failing(dir, false)
      emulator = await start(["--data", file])
      await check(emulator, history)
    }
    await stop(emulator)
    expect(history.every((r) => r.refused500 > 0)).toBe(true)
  })

  /** A tmpfs of its own, filled up; null when this machine does not allow the mount. */
  const smallDisk = (): string | null => {
    const dir = freshDir()
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" })
      return dir
    } catch {
      return null
    }
  }
  const fill = (dir: string) => {
    const { bavail, bsize } = statfsSync(dir)
    try {
      writeFileSync(join(dir, "filler"), Buffer.alloc(bavail * bsize))
    } catch {
      // ENOSPC once it is full: what we want.
    }
  }

  it("full disk (a 1 MiB tmpfs, ENOSPC) that frees up mid-burst: acknowledged changes survive, refused ones never appear", async (context) => {
    const dir = smallDisk()
    if (dir === null) return context.skip()
    try {
      const file = join(dir, "state.json")
      const history: Array<Round> = []
      let emulator = await start(["--data", file])
      for (let round = 0; round < 3; round++) {
        fill(dir)
        history.push(await burst(emulator, round, { failAt: 20, onFail: () => unlinkSync(join(dir, "filler")), killAt: 35 }))
        if (existsSync(join(dir, "filler"))) unlinkSync(join(dir, "filler"))
        emulator = await start(["--data", file])
        await check(emulator, history)
      }
      await stop(emulator)
      expect(history.some((r) => r.refused500 > 0)).toBe(true)
    } finally {
      for (const child of children) child.kill("SIGKILL")
      execFileSync("umount", ["--lazy", dir])
    }
  })
})

/** Every string in a JSON value. */
const strings = (value: unknown): Array<string> =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
    ? value.flatMap(strings)
    : value !== null && typeof value === "object"
    ? Object.values(value).flatMap(strings)
    : []

/** Every sealed record (iv, tag, data) in a JSON value. */
const sealedIn = (value: unknown): Array<{ iv: string; tag: string; data: string }> =>
  Array.isArray(value)
    ? value.flatMap(sealedIn)
    : value !== null && typeof value === "object"
    ? "iv" in value && "tag" in value && "data" in value
      ? [value as { iv: string; tag: string; data: string }]
      : Object.values(value).flatMap(sealedIn)
    : []

const opens = (key: Buffer, sealed: { iv: string; tag: string; data: string }) => {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"))
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"))
    decipher.update(Buffer.from(sealed.data, "base64"))
    decipher.final()
    return true
  } catch {
    return false
  }
}

/** The data file and its journal as JSON values (one per journal line). */
const dataOf = (file: string): Array<unknown> => [
  JSON.parse(readFileSync(file, "utf8")),
  ...(existsSync(`${file}.journal`) ? readFileSync(`${file}.journal`, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l)) : [])
]

describe("the sealing key lives apart from the data", () => {
  it("a copy of the data file (and journal) alone reveals nothing and does not start; with its key file it does", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const first = await start(["--data", file])
    const created = (await api(first.url, first.api_key)("POST", "/v1/account/api-keys", { name: "secret" })).json
    await kill9(first)

    const data = dataOf(file)
    const sealed = data.flatMap(sealedIn)
    expect(sealed.length).toBeGreaterThan(0)
    for (const text of data.flatMap(strings)) {
      expect(text).not.toContain(created.key)
      for (const candidate of [Buffer.from(text, "base64"), Buffer.from(text, "hex")]) {
        if (candidate.length === 32) for (const s of sealed) expect(opens(candidate, s)).toBe(false)
      }
    }
    expect(statSync(`${file}.key`).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, "utf8")).not.toContain(readFileSync(`${file}.key`, "utf8").trim())

    const copy = join(freshDir(), "copy.json")
    copyFileSync(file, copy)
    if (existsSync(`${file}.journal`)) copyFileSync(`${file}.journal`, `${copy}.journal`)
    const refused = await launch(["--data", copy])
    expect("code" in refused && refused.code).toBe(1)
    expect((refused as Refused).stderr).toContain(`${copy}.key`)
    expect(existsSync(`${copy}.key`)).toBe(false)

    copyFileSync(`${file}.key`, `${copy}.key`)
    const second = await start(["--data", copy])
    try {
      expect(second.api_key).toBe(first.api_key)
      const session = await (await fetch(`${second.url}/_emulator/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user_id: "user_owner" })
      })).json() as { token: string }
      const revealed = await api(second.url, session.token)("POST", `/v1/account/api-keys/${created.id}/reveal`)
      expect(revealed.json.key).toBe(created.key)
    } finally {
      await stop(second)
    }
  })

  it("a key from BYTEKIT_EMULATOR_SEALING_KEY or --sealing-key-file writes no key file; a wrong or missing key refuses to start", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const key = randomBytes(32).toString("base64")
    const first = await start(["--data", file], { BYTEKIT_EMULATOR_SEALING_KEY: key })
    await stop(first)
    expect(existsSync(`${file}.key`)).toBe(false)

    const keyFile = join(freshDir(), "sealing.key")
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 })
    const second = await start(["--data", file, "--sealing-key-file", keyFile])
    expect(second.api_key).toBe(first.api_key)
    await stop(second)

    // A missing or wrong key is a data problem (exit 1, one line); a malformed one a usage error (exit 2).
    const wrong = randomBytes(32).toString("hex")
    for (const [env, code, says] of [
      [{}, 1, `${file}.key`],
      [{ BYTEKIT_EMULATOR_SEALING_KEY: wrong }, 1, "does not match"],
      [{ BYTEKIT_EMULATOR_SEALING_KEY: `${key.slice(0, 20)}` }, 2, "32 bytes"]
    ] as const) {
      const refused = await launch(["--data", file], env)
      expect(refused).toMatchObject({ code })
      const stderr = (refused as Refused).stderr
      if (code === 1) expect(stderr.trim().split("\n")).toHaveLength(1)
      expect(stderr).toContain(says)
      expect(stderr).not.toContain(key.slice(0, 20))
      expect(stderr).not.toContain(wrong)
    }
    expect(existsSync(`${file}.key`)).toBe(false)
  })

  it("a version 1 file (the key inside) is migrated: the key moves to <file>.key and every key still works", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const secret = randomBytes(32)
    const plaintext = `sk_test_${"A".repeat(40)}`
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", secret, iv)
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    const at = "2025-01-01T00:00:00.000Z"
    writeFileSync(file, JSON.stringify({
      version: 1,
      secret: secret.toString("base64"),
      accounts: [
        { id: "acct_demo", name: "Demo Co", email: "owner@demo.example", owner_user_id: "user_owner", members: ["user_owner", "user_member"], created_at: at },
        { id: "acct_other", name: "Other Inc", email: "owner@other.example", owner_user_id: "user_other", members: ["user_other"], created_at: at }
      ],
      keys: [{
        id: "ak_v1", account_id: "acct_demo", name: "Bootstrap key", hash: createHash("sha256").update(plaintext).digest("hex"),
        sealed: { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") },
        prefix: plaintext.slice(0, 12), environment: "test", created_at: at, last_used_at: null, revoked_at: null
      }]
    }))
    const emulator = await start(["--data", file])
    try {
      expect(emulator.api_key).toBe(plaintext)
      expect((await api(emulator.url, plaintext)("GET", "/v1/account")).status).toBe(200)
      const migrated = JSON.parse(readFileSync(file, "utf8"))
      expect(migrated.version).toBe(2)
      expect(JSON.stringify(migrated)).not.toContain(secret.toString("base64"))
      for (const s of dataOf(file).flatMap(sealedIn)) expect(opens(secret, s)).toBe(false)
      expect(statSync(`${file}.key`).mode & 0o777).toBe(0o600)
    } finally {
      await stop(emulator)
    }
  })
})

describe("a data file that does not validate is refused and left as it is", () => {
  const validKey = {
    id: "ak_x", account_id: "acct_demo", name: "k", hash: "0".repeat(64), sealed: null, prefix: "sk_test_AAAA",
    environment: "test", created_at: "2025-01-01T00:00:00.000Z", last_used_at: null, revoked_at: null
  }
  const account = { id: "acct_demo", name: "Demo", email: "a@b.c", owner_user_id: "user_owner", members: ["user_owner"], created_at: "2025-01-01T00:00:00.000Z" }
  const { hash: _, ...withoutHash } = validKey
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["invalid JSON", "{\"version\": 2,", /not valid JSON/],
    ["an empty file", "", /empty/],
    ["null", "null", /not a JSON object.*null/],
    ["{}", "{}", /version/],
    ["[]", "[]", /not a JSON object.*array/],
    ["version 99", JSON.stringify({ version: 99, accounts: [], keys: [] }), /version 99/],
    ["a key missing its hash (version 1)", JSON.stringify({ version: 1, secret: randomBytes(32).toString("base64"), accounts: [account], keys: [withoutHash] }), /keys\[0\]\.hash.*missing/],
    ["a key missing its hash (version 2)", JSON.stringify({ version: 2, seq: 0, sealing: { algorithm: "aes-256-gcm", check: "x" }, accounts: [account], keys: [withoutHash] }), /keys\[0\]\.hash.*missing/],
    ["a key of an unknown account", JSON.stringify({ version: 1, secret: randomBytes(32).toString("base64"), accounts: [], keys: [validKey] }), /acct_demo/]
  ]
  for (const [what, content, says] of cases) {
    it(`${what}: startEmulator rejects with a DataFileError naming the file and the problem, and writes nothing`, async () => {
      const { DataFileError, startEmulator } = await import("../src/emulator/index.js")
      const dir = freshDir()
      const file = join(dir, "state.json")
      writeFileSync(file, content)
      const before = statSync(file)
      const error = await startEmulator({ dataFile: file }).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(DataFileError)
      expect(error).toMatchObject({ _tag: "DataFileError", file })
      const message = (error as Error).message
      expect(message).toContain(file)
      expect(message).toMatch(says)
      expect(message).not.toContain("\n")
      expect(readFileSync(file, "utf8")).toBe(content)
      expect(statSync(file).mtimeMs).toBe(before.mtimeMs)
      expect(readdirSync(dir)).toEqual(["state.json"])
    })
  }

  it("the bin exits 1 with that one line and leaves the file as it is", async () => {
    for (const [, content, says] of [cases[2]!, cases[6]!]) {
      const dir = freshDir()
      const file = join(dir, "state.json")
      writeFileSync(file, content)
      const refused = await launch(["--data", file])
      expect(refused).toMatchObject({ code: 1 })
      const lines = (refused as Refused).stderr.trim().split("\n")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(file)
      expect(lines[0]).toMatch(says)
      expect(readFileSync(file, "utf8")).toBe(content)
      expect(readdirSync(dir)).toEqual(["state.json"])
    }
  })

  it("a corrupt journal line before the last refuses to start; a torn last line is dropped", async () => {
    const dir = freshDir()
    const file = join(dir, "state.json")
    const first = await start(["--data", file])
    const call = api(first.url, first.api_key)
    for (let i = 0; i < 3; i++) await call("POST", "/v1/account/api-keys", { name: `k${i}` })
    await kill9(first)
    const journal = readFileSync(`${file}.journal`, "utf8")
    const lines = journal.split("\n").filter((l) => l !== "")
    expect(lines.length).toBeGreaterThanOrEqual(3)

    // Torn: the last line cut short, as a crash mid-write leaves it.
    writeFileSync(`${file}.journal`, journal.slice(0, journal.length - 20))
    const torn = await start(["--data", file])
    const names = (await listAll(torn)).map((k) => k.name)
    expect(names).toEqual(expect.arrayContaining(["k0", "k1"]))
    expect(names).not.toContain("k2")
    await stop(torn)

    // Corrupt: a bad line with good lines after it is not a torn write; refuse, touch nothing.
    mkdirSync(join(dir, "again"))
    const copy = join(dir, "again", "state.json")
    copyFileSync(file, copy)
    copyFileSync(`${file}.key`, `${copy}.key`)
    const replay = readFileSync(`${file}.journal`, "utf8")
    const good = JSON.stringify({ seq: 10_000, op: "rename", id: "ak_nope", name: "x" })
    writeFileSync(`${copy}.journal`, `${replay}{"seq": oops\n${good}\n`)
    const refused = await launch(["--data", copy])
    expect(refused).toMatchObject({ code: 1 })
    expect((refused as Refused).stderr).toContain(`${copy}.journal`)
    expect((refused as Refused).stderr).toMatch(/line \d+/)
    expect(readFileSync(`${copy}.journal`, "utf8")).toBe(`${replay}{"seq": oops\n${good}\n`)
  })
})
