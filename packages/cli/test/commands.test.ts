/**
 * Every command against the emulator, through the real `bytekit` bin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { api, bytekit, closedPort, type Emulator, faultyProxy, startEmulator } from "./support.js"

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(async () => {
  await emulator.stop()
})

const createKey = async (name: string): Promise<{ id: string; key: string }> => {
  const { body } = await api(emulator, "POST", "/v1/account/api-keys", { name })
  return { id: body.id, key: body.key }
}

describe("account shows the account and the calling key", () => {
  it("prints name, email, plan and the calling key's id and prefix, never the key", async () => {
    const run = await bytekit(["account"], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Name\s+Demo Co/)
    expect(run.stdout).toMatch(/Email\s+\S+@\S+/)
    expect(run.stdout).toMatch(/Plan\s+\S+/)
    expect(run.stdout).toMatch(new RegExp(`Calling key\\s+ak_\\w+ \\(${emulator.apiKey.slice(0, 12)}…`))
    expect(run.stdout).not.toContain(emulator.apiKey)
    expect(run.stderr).toBe("")
  })

  it("--json gives the same as JSON", async () => {
    const run = await bytekit(["account", "--json"], emulator.env)
    expect(run.code).toBe(0)
    const account = JSON.parse(run.stdout)
    expect(account).toMatchObject({ name: "Demo Co", api_key: { prefix: emulator.apiKey.slice(0, 12) } })
    expect(run.stdout).not.toContain(emulator.apiKey)
  })
})

describe("keys list is a table, newest first; --all adds revoked keys", () => {
  it("lists id, name, prefix, environment, created, last used, revoked; newest first; revoked only with --all", async () => {
    const older = await createKey("list-older")
    await new Promise((resolve) => setTimeout(resolve, 10))
    const newer = await createKey("list-newer")
    const revoked = await createKey("list-revoked")
    await api(emulator, "DELETE", `/v1/account/api-keys/${revoked.id}`)

    const run = await bytekit(["keys", "list"], emulator.env)
    expect(run.code).toBe(0)
    const lines = run.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+ENV\s+CREATED\s+LAST USED\s+REVOKED$/)
    const ids = lines.slice(1).map((line) => line.split(/\s+/)[0])
    expect(ids.indexOf(newer.id)).toBeGreaterThanOrEqual(0)
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id))
    expect(ids).not.toContain(revoked.id)
    expect(run.stdout).not.toContain(newer.key)
    expect(run.stdout).not.toMatch(/\u001b\[/) // no colour off a terminal

    const all = await bytekit(["keys", "list", "--all"], emulator.env)
    expect(all.code).toBe(0)
    const row = all.stdout.split("\n").find((line) => line.startsWith(revoked.id))
    expect(row).toMatch(/list-revoked\s+sk_test_\w+…\s+test\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d$/)
  })

  it("columns stay aligned with wide characters in a name", async () => {
    const made = await createKey("デプロイ bot")
    const run = await bytekit(["keys", "list"], emulator.env)
    const lines = run.stdout.split("\n")
    const row = lines.find((line) => line.startsWith(made.id))!
    // Each of the 4 wide characters takes two cells: the prefix column starts 4 characters early.
    const cells = (text: string) => [...text].reduce((n, c) => n + (/[\u3000-\u9fff]/.test(c) ? 2 : 1), 0)
    expect(cells(row.slice(0, row.indexOf("sk_test_")))).toBe(lines[0]!.indexOf("PREFIX"))
  })

  it("--json lists metadata only, and `ls` is the same command", async () => {
    const made = await createKey("list-json")
    const run = await bytekit(["keys", "ls", "--json"], emulator.env)
    expect(run.code).toBe(0)
    const { data } = JSON.parse(run.stdout)
    const key = data.find((k: { id: string }) => k.id === made.id)
    expect(Object.keys(key).sort()).toEqual(
      ["created_at", "environment", "id", "last_used_at", "name", "prefix", "reveal_available", "revoked_at"]
    )
    expect(run.stdout).not.toContain(made.key)
  })
})

describe("keys get shows one key", () => {
  it("prints the key's metadata, as text and as JSON", async () => {
    const made = await createKey("get-me")
    const run = await bytekit(["keys", "get", made.id], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`ID\\s+${made.id}`))
    expect(run.stdout).toMatch(/Name\s+get-me/)
    expect(run.stdout).toMatch(/Revoked\s+no/)
    const json = await bytekit(["keys", "get", made.id, "--json"], emulator.env)
    expect(JSON.parse(json.stdout)).toMatchObject({ id: made.id, name: "get-me", revoked_at: null })
    expect(run.stdout + json.stdout).not.toContain(made.key)
  })
})

describe("keys create prints the plaintext once", () => {
  it("prints the new key with a warning that it will not be shown again; the key works", async () => {
    const run = await bytekit(["keys", "create", "--name", "made-by-cli"], emulator.env)
    expect(run.code).toBe(0)
    const key = run.stdout.match(/sk_test_\w+/)?.[0]
    expect(key).toBeDefined()
    expect(run.stdout).toContain("will not be shown again")
    expect(run.stdout).toMatch(/Created ak_\w+ "made-by-cli"/)
    const account = await bytekit(["account", "--json"], { ...emulator.env, BYTEKIT_API_KEY: key! })
    expect(account.code).toBe(0)
  })

  it("--quiet prints only the key, for KEY=$(bytekit keys create --quiet)", async () => {
    const run = await bytekit(["keys", "create", "--name", "quiet", "--quiet"], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^sk_test_\w+\n$/)
    expect(run.stderr).toBe("")
  })

  it("without --name the server's default name is used; --json carries the key", async () => {
    const run = await bytekit(["keys", "create", "--json"], emulator.env)
    expect(run.code).toBe(0)
    const created = JSON.parse(run.stdout)
    expect(created).toMatchObject({ name: "Untitled key", environment: "test" })
    expect(created.key).toMatch(/^sk_test_\w+$/)
  })
})

describe("keys rename renames", () => {
  it("renames a key and says so", async () => {
    const made = await createKey("before")
    const run = await bytekit(["keys", "rename", made.id, "after"], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`Renamed ${made.id} to "after"\n`)
    const { body } = await api(emulator, "GET", `/v1/account/api-keys/${made.id}`)
    expect(body.name).toBe("after")
    const json = await bytekit(["keys", "rename", made.id, "again", "--json"], emulator.env)
    expect(JSON.parse(json.stdout)).toMatchObject({ id: made.id, name: "again" })
  })
})

describe("keys revoke revokes with --yes off a terminal", () => {
  it("revokes with --yes", async () => {
    const made = await createKey("revoke-yes")
    const run = await bytekit(["keys", "revoke", made.id, "--yes"], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`Revoked ${made.id}\n`)
    const { body } = await api(emulator, "GET", `/v1/account/api-keys/${made.id}`)
    expect(body.revoked_at).not.toBeNull()
  })

  it("without --yes off a terminal: usage status 2, names --yes, revokes nothing", async () => {
    const made = await createKey("revoke-no")
    const run = await bytekit(["keys", "revoke", made.id], emulator.env)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`bytekit: keys revoke asks for confirmation, and this is not a terminal; pass --yes: bytekit keys revoke ${made.id} --yes\n`)
    const { body } = await api(emulator, "GET", `/v1/account/api-keys/${made.id}`)
    expect(body.revoked_at).toBeNull()
  })

  it("--json says what was revoked", async () => {
    const made = await createKey("revoke-json")
    const run = await bytekit(["keys", "revoke", made.id, "-y", "--json"], emulator.env)
    expect(JSON.parse(run.stdout)).toEqual({ id: made.id, revoked: true })
  })
})

describe("keys reveal needs a session token and prints the plaintext on stdout only", () => {
  it("reveals with --session-token, and with BYTEKIT_SESSION_TOKEN", async () => {
    const made = await createKey("reveal-me")
    const token = await emulator.session()
    const run = await bytekit(["keys", "reveal", made.id, "--session-token", token], emulator.env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`${made.key}\n`)
    expect(run.stderr).toBe("")
    const fromEnv = await bytekit(["keys", "reveal", made.id, "--json"], { ...emulator.env, BYTEKIT_SESSION_TOKEN: token })
    expect(JSON.parse(fromEnv.stdout)).toEqual({ id: made.id, key: made.key })
  })

  it("with only an API key: authentication status 3, says a session token is needed", async () => {
    const made = await createKey("reveal-no-token")
    const run = await bytekit(["keys", "reveal", made.id], emulator.env)
    expect(run.code).toBe(3)
    expect(run.stdout).toBe("")
    expect(run.stderr).toBe(
      "bytekit: keys reveal needs a Clerk session token, and an API key cannot reveal keys; pass --session-token or set BYTEKIT_SESSION_TOKEN\n"
    )
  })

  it("an API key passed as the session token: status 3, says reveal needs a session token, never echoes it", async () => {
    const made = await createKey("reveal-api-key")
    const run = await bytekit(["keys", "reveal", made.id, "--session-token", emulator.apiKey], emulator.env)
    expect(run.code).toBe(3)
    expect(run.stderr).toMatch(/session token/)
    expect(run.stderr).not.toContain(emulator.apiKey)
    expect(run.stderr.split("\n").length).toBe(2)
  })
})

describe("keys rotate replaces a key in one step", () => {
  it("creates a key with the same name, revokes the old one, prints the new key", async () => {
    const old = await createKey("rotate-me")
    const run = await bytekit(["keys", "rotate", old.id], emulator.env)
    expect(run.code).toBe(0)
    const key = run.stdout.match(/sk_test_\w+/)?.[0]
    expect(run.stdout).toContain("will not be shown again")
    expect(run.stdout).toContain(`Revoked the old key ${old.id}.`)
    const { body: oldNow } = await api(emulator, "GET", `/v1/account/api-keys/${old.id}`)
    expect(oldNow.revoked_at).not.toBeNull()
    const account = await bytekit(["account", "--json"], { ...emulator.env, BYTEKIT_API_KEY: key! })
    const newId = JSON.parse(account.stdout).api_key.id
    const { body: fresh } = await api(emulator, "GET", `/v1/account/api-keys/${newId}`)
    expect(fresh.name).toBe("rotate-me")
  })

  it("--quiet prints only the new key; --json says it was rotated and revoked", async () => {
    const old = await createKey("rotate-quiet")
    const quiet = await bytekit(["keys", "rotate", old.id, "--quiet"], emulator.env)
    expect(quiet.code).toBe(0)
    expect(quiet.stdout).toMatch(/^sk_test_\w+\n$/)
    const other = await createKey("rotate-json")
    const json = await bytekit(["keys", "rotate", other.id, "--json"], emulator.env)
    expect(JSON.parse(json.stdout)).toMatchObject({ rotated_from: other.id, old_key_revoked: true, name: "rotate-json" })
  })

  it("a revoked key is not rotated: conflict status 5, no key created", async () => {
    const old = await createKey("rotate-revoked")
    await api(emulator, "DELETE", `/v1/account/api-keys/${old.id}`)
    const before = (await api(emulator, "GET", "/v1/account/api-keys?include_revoked=true")).body.data.length
    const run = await bytekit(["keys", "rotate", old.id], emulator.env)
    expect(run.code).toBe(5)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/already revoked/)
    expect((await api(emulator, "GET", "/v1/account/api-keys?include_revoked=true")).body.data.length).toBe(before)
  })

  it("when the revoke fails the new key is still printed, status 9 and the command that finishes it", async () => {
    const old = await createKey("rotate-half")
    const proxy = await faultyProxy(emulator.url, (req) =>
      req.method === "DELETE"
        ? { status: 503, body: { error: { code: "internal_error", message: "revoke is down" } } }
        : undefined)
    try {
      const run = await bytekit(["keys", "rotate", old.id], { ...emulator.env, BYTEKIT_BASE_URL: proxy.url })
      expect(run.code).toBe(9)
      const key = run.stdout.match(/sk_test_\w+/)?.[0]
      expect(key).toBeDefined()
      const lines = run.stderr.trimEnd().split("\n")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^bytekit: rotation half done: new key ak_\w+ created \(printed above\), but revoking/)
      expect(lines[0]).toContain(`finish it with: bytekit keys revoke ${old.id} --yes`)
      expect(run.stderr).not.toContain(key!)
      const { body } = await api(emulator, "GET", `/v1/account/api-keys/${old.id}`)
      expect(body.revoked_at).toBeNull()
      // The printed command finishes it.
      const finish = await bytekit(["keys", "revoke", old.id, "--yes"], emulator.env)
      expect(finish.code).toBe(0)

      const other = await createKey("rotate-half-json")
      const json = await bytekit(["keys", "rotate", other.id, "--json"], { ...emulator.env, BYTEKIT_BASE_URL: proxy.url })
      expect(json.code).toBe(9)
      expect(JSON.parse(json.stdout)).toMatchObject({ rotated_from: other.id, old_key_revoked: false })
      expect(JSON.parse(json.stderr).error).toMatchObject({ kind: "rotation_incomplete", exit_code: 9 })
    } finally {
      await proxy.close()
    }
  })
})

describe("--base-url and BYTEKIT_BASE_URL choose the API", () => {
  it("--base-url wins over BYTEKIT_BASE_URL", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`
    const run = await bytekit(["--base-url", emulator.url, "keys", "list"], { ...emulator.env, BYTEKIT_BASE_URL: dead })
    expect(run.code).toBe(0)
    const after = await bytekit(["keys", "list", "--base-url", emulator.url], { ...emulator.env, BYTEKIT_BASE_URL: dead })
    expect(after.code).toBe(0)
  })
})

describe("--timeout is accepted in the forms people type", () => {
  it("30s, 1500ms, 2m and plain seconds all run", async () => {
    for (const value of ["30s", "1500ms", "2m", "10"]) {
      const run = await bytekit(["keys", "list", "--timeout", value], emulator.env)
      expect(run.code, value).toBe(0)
    }
  })
})
