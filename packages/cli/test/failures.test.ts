/**
 * Every kind of failure: its exit status, one line on stderr naming the fix (JSON with --json),
 * nothing on stdout, no stack trace, and never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { api, bytekit, closedPort, type Emulator, type Run, scriptedServer, startEmulator } from "./support.js"

let emulator: Emulator
/** Every failure's output, checked at the end for stack traces and secrets. */
const seen: Array<Run> = []
/** Every secret the runs had: the API key, session tokens, plaintext keys. */
const secrets: Array<string> = []

const run = async (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}) => {
  const result = await bytekit(args, { ...emulator.env, ...env })
  seen.push(result)
  return result
}

/** One line on stderr, nothing on stdout. */
const oneLine = (result: Run) => {
  expect(result.stdout).toBe("")
  expect(result.stderr.endsWith("\n")).toBe(true)
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
  return result.stderr.trimEnd()
}

beforeAll(async () => {
  emulator = await startEmulator(["--reveal-limit", "1"])
  secrets.push(emulator.apiKey)
})
afterAll(async () => {
  await emulator.stop()
})

describe("usage errors exit 2", () => {
  it.each([
    [["keys", "lst"], /Unknown subcommand "lst"/],
    [["keys", "list", "--bogus"], /Unrecognized flag: --bogus/],
    [["keys", "get"], /Missing required argument: id/],
    [["keys", "rename", "ak_1"], /Missing required argument: name/],
    [["keys", "list", "--timeout", "soon"], /Invalid value for flag --timeout/],
    [["keys", "list", "--timeout", "0"], /Invalid value for flag --timeout/],
    [["emulator", "--environment", "prod"], /environment/]
  ])("%j", async (args, message) => {
    const result = await run(args)
    expect(result.code).toBe(2)
    const line = oneLine(result)
    expect(line).toMatch(message)
    expect(line).toMatch(/see `bytekit[\w ]* --help`$/)
  })

  it("a base URL that is not http(s) is a usage error naming --base-url", async () => {
    const result = await run(["keys", "list", "--base-url", "ftp://example.com"])
    expect(result.code).toBe(2)
    expect(oneLine(result)).toMatch(/--base-url/)
  })

  it("a name the server refuses (too long) is a usage error", async () => {
    const made = (await api(emulator, "POST", "/v1/account/api-keys", { name: "x" })).body
    const result = await run(["keys", "rename", made.id, "n".repeat(101)])
    expect(result.code).toBe(2)
    oneLine(result)
  })

  it("--json writes the usage error as JSON on stderr", async () => {
    const result = await run(["keys", "get", "--json"])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { kind: "usage", exit_code: 2 } })
  })
})

describe("authentication failures exit 3 and name the variable that holds the key", () => {
  it("no BYTEKIT_API_KEY", async () => {
    const result = await run(["keys", "list"], { BYTEKIT_API_KEY: undefined })
    expect(result.code).toBe(3)
    expect(oneLine(result)).toBe("bytekit: no API key; set BYTEKIT_API_KEY to an API key (sk_live_… or sk_test_…)")
  })

  it("a key the server refuses (401): names BYTEKIT_API_KEY, never quotes the key", async () => {
    const wrong = "sk_test_" + "W".repeat(40)
    secrets.push(wrong)
    const result = await run(["account"], { BYTEKIT_API_KEY: wrong })
    expect(result.code).toBe(3)
    const line = oneLine(result)
    expect(line).toMatch(/401/)
    expect(line).toMatch(/set BYTEKIT_API_KEY to a valid, unrevoked API key for http:\/\/127\.0\.0\.1:\d+$/)
    expect(line).not.toContain(wrong)
  })

  it("--json: the 401 as JSON", async () => {
    const result = await run(["keys", "list", "--json"], { BYTEKIT_API_KEY: "sk_test_" + "V".repeat(40) })
    expect(result.code).toBe(3)
    expect(JSON.parse(result.stderr).error).toMatchObject({ kind: "auth", exit_code: 3, status: 401, code: "unauthorized" })
  })

  it("a session user who is not a member (403) is an authentication failure", async () => {
    const made = (await api(emulator, "POST", "/v1/account/api-keys", { name: "not-yours" })).body
    const token = await emulator.session("user_outsider")
    secrets.push(token)
    const result = await run(["keys", "reveal", made.id, "--session-token", token])
    expect(result.code).toBe(3)
    expect(oneLine(result)).not.toContain(token)
  })
})

describe("a missing key exits 4", () => {
  it.each([["get"], ["rename", "x"], ["rotate"]])("keys %s of an unknown id", async (command, ...rest) => {
    const result = await run(["keys", command, "ak_doesnotexist", ...rest])
    expect(result.code).toBe(4)
    expect(oneLine(result)).toBe(
      "bytekit: no key ak_doesnotexist on this account (404 not_found); `bytekit keys list --all` shows the account's key ids"
    )
  })
})

describe("conflicts exit 5", () => {
  it("renaming a revoked key", async () => {
    const made = (await api(emulator, "POST", "/v1/account/api-keys", { name: "gone" })).body
    await api(emulator, "DELETE", `/v1/account/api-keys/${made.id}`)
    const result = await run(["keys", "rename", made.id, "back"])
    expect(result.code).toBe(5)
    expect(oneLine(result)).toMatch(/409 api_key_revoked.*bytekit keys create/)
  })
})

describe("rate limiting exits 6 when the wait is too long to sit through, saying how long", () => {
  it("a second reveal within the minute (reveal limit 1)", async () => {
    const made = (await api(emulator, "POST", "/v1/account/api-keys", { name: "reveal-limited" })).body
    secrets.push(made.key)
    const token = await emulator.session()
    secrets.push(token)
    const first = await run(["keys", "reveal", made.id, "--session-token", token])
    expect(first.code).toBe(0)
    // The window is a fixed minute: if it turned over after the first reveal, the next one spends it;
    // with 30 s or less of it left, the CLI waits the window out and the next reveal spends the new one.
    let second = await run(["keys", "reveal", made.id, "--session-token", token])
    if (second.code === 0) second = await run(["keys", "reveal", made.id, "--session-token", token])
    expect(second.code).toBe(6)
    expect(oneLine(second)).toMatch(/^bytekit: rate limited by Bytekit \(429 rate_limited\); try again in \d+s$/)
    const json = await run(["keys", "reveal", made.id, "--session-token", token, "--json"])
    expect(JSON.parse(json.stderr).error).toMatchObject({ kind: "rate_limited", exit_code: 6 })
    expect(JSON.parse(json.stderr).error.retry_after_seconds).toBeGreaterThan(30)
  }, 120_000)
})

describe("network failures and timeouts exit 7", () => {
  it("nothing listening", async () => {
    const port = await closedPort()
    const result = await run(["keys", "list"], { BYTEKIT_BASE_URL: `http://127.0.0.1:${port}` })
    expect(result.code).toBe(7)
    expect(oneLine(result)).toMatch(new RegExp(`could not reach http://127\\.0\\.0\\.1:${port}: .*; check the network, and --base-url / BYTEKIT_BASE_URL$`))
  })

  it("a server that never answers, with --timeout", async () => {
    const silent = await scriptedServer(() => undefined)
    try {
      const result = await run(["keys", "list", "--timeout", "300ms"], { BYTEKIT_BASE_URL: silent.url })
      expect(result.code).toBe(7)
      expect(oneLine(result)).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+ .*--timeout/)
    } finally {
      await silent.close()
    }
  })
})

describe("server failures exit 8", () => {
  it("a 500 (after the SDK's retries)", async () => {
    const broken = await scriptedServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { code: "internal_error", message: "boom" } }))
    })
    try {
      const result = await run(["keys", "list"], { BYTEKIT_BASE_URL: broken.url })
      expect(result.code).toBe(8)
      expect(oneLine(result)).toBe("bytekit: Bytekit failed (500 internal_error): boom; try again later")
    } finally {
      await broken.close()
    }
  })

  it("an answer that is not the API's, and never a secret it echoes", async () => {
    const odd = await scriptedServer((req, res) => {
      res.writeHead(418, { "content-type": "text/plain" })
      res.end(`teapot saw ${req.headers.authorization ?? ""}`)
    })
    try {
      const result = await run(["keys", "list"], { BYTEKIT_BASE_URL: odd.url })
      expect(result.code).toBe(8)
      expect(oneLine(result)).toMatch(/unexpected answer from http:\/\/127\.0\.0\.1:\d+/)
    } finally {
      await odd.close()
    }
  })
})

describe("no failure prints a stack trace or a secret", () => {
  it("across every run above", () => {
    expect(seen.length).toBeGreaterThan(15)
    for (const result of seen) {
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(result.stderr).not.toMatch(/Error:|FiberFailure|node:internal/)
      for (const secret of secrets) expect(result.stderr).not.toContain(secret)
    }
  })
})
