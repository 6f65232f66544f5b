/**
 * What happens only on a terminal: the revoke confirmation (tmux), colour (never with NO_COLOR),
 * and progress while waiting out a 429 (a pseudo-terminal from `script`).
 */
import { execFileSync } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { api, bytekit, commandLine, type Emulator, eventually, faultyProxy, onTerminal, scriptedServer, startEmulator, tmux } from "./support.js"

let emulator: Emulator
let limited: Emulator

beforeAll(async () => {
  ;[emulator, limited] = await Promise.all([startEmulator(), startEmulator(["--rate-limit", "1"])])
})
afterAll(async () => {
  await Promise.all([emulator.stop(), limited.stop()])
})

const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"])
    return true
  } catch {
    return false
  }
})()

const createKey = async (name: string) => (await api(emulator, "POST", "/v1/account/api-keys", { name })).body as { id: string }

describe.skipIf(!hasTmux)("keys revoke asks for confirmation on a terminal", () => {
  const confirm = async (name: string, answer: ReadonlyArray<string>) => {
    const key = await createKey(name)
    const term = tmux(name)
    try {
      term.start(`${commandLine(["keys", "revoke", key.id], emulator.env)}; echo "EXIT=$?"; sleep 30`)
      await eventually(() => term.screen().includes(`Revoke ${key.id} "${name}"?`), 10_000, "the question")
      expect(term.screen()).toContain("(y/N)")
      term.send(...answer)
      await eventually(() => /EXIT=\d+/.test(term.screen()), 10_000, "the exit status")
      const screen = term.screen()
      const revoked = (await api(emulator, "GET", `/v1/account/api-keys/${key.id}`)).body.revoked_at !== null
      return { screen, code: Number(/EXIT=(\d+)/.exec(screen)![1]), revoked, id: key.id }
    } finally {
      term.kill()
    }
  }

  it("y revokes", async () => {
    const result = await confirm("confirm-yes", ["y"])
    expect(result.code).toBe(0)
    expect(result.screen).toContain(`Revoked ${result.id}`)
    expect(result.revoked).toBe(true)
  })

  it("Enter takes the default, no: nothing revoked, status 10", async () => {
    const result = await confirm("confirm-default", ["Enter"])
    expect(result.code).toBe(10)
    expect(result.screen).toContain(`bytekit: ${result.id} not revoked`)
    expect(result.revoked).toBe(false)
  })

  it("n declines", async () => {
    const result = await confirm("confirm-no", ["n"])
    expect(result.code).toBe(10)
    expect(result.revoked).toBe(false)
  })
})

describe("colour only on a terminal, never with NO_COLOR", () => {
  it("keys list is bold-headed on a terminal", async () => {
    const result = await onTerminal(["keys", "list"], emulator.env)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("\u001b[1mID")
  })

  it("NO_COLOR=1 on a terminal: no escape sequences in the table", async () => {
    const result = await onTerminal(["keys", "list"], { ...emulator.env, NO_COLOR: "1" })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ID\s+NAME/m)
    expect(result.stdout).not.toMatch(/\u001b\[[0-9;]*m/)
  })

  it("an error's label is red on a terminal, plain with NO_COLOR", async () => {
    const colored = await onTerminal(["keys", "get", "ak_missing"], emulator.env)
    expect(colored.code).toBe(4)
    expect(colored.stdout).toContain("\u001b[31mbytekit:\u001b[0m no key ak_missing")
    const plain = await onTerminal(["keys", "get", "ak_missing"], { ...emulator.env, NO_COLOR: "1" })
    expect(plain.stdout).toContain("bytekit: no key ak_missing")
    expect(plain.stdout).not.toMatch(/\u001b\[[0-9;]*m/)
  })

  it("help is coloured on a terminal only", async () => {
    const onTty = await onTerminal(["keys", "--help"], emulator.env)
    expect(onTty.stdout).toMatch(/\u001b\[[0-9;]*m/)
    const piped = await bytekit(["keys", "--help"], emulator.env)
    expect(piped.stdout).not.toMatch(/\u001b\[[0-9;]*m/)
  })
})

describe("a 429 is waited out with a countdown on a terminal", () => {
  /** The emulator behind a proxy that answers the first request 429 with `Retry-After: 1`. */
  const rateLimitedOnce = () => {
    let answered = 0
    return faultyProxy(emulator.url, () =>
      answered++ === 0
        ? { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "rate_limited", message: "Slow down" } } }
        : undefined)
  }

  it("says it is rate limited and how long it waits, then answers", async () => {
    const proxy = await rateLimitedOnce()
    try {
      const result = await onTerminal(["keys", "list"], { ...emulator.env, BYTEKIT_BASE_URL: proxy.url })
      expect(result.stdout).toMatch(/Rate limited by Bytekit: retrying in 1s…/)
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/ID\s+NAME/)
    } finally {
      await proxy.close()
    }
  })

  it("off a terminal it waits silently: no progress on stderr", async () => {
    const proxy = await rateLimitedOnce()
    try {
      const started = Date.now()
      const result = await bytekit(["keys", "list"], { ...emulator.env, BYTEKIT_BASE_URL: proxy.url })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
      expect(result.stdout).toMatch(/^ID\s+NAME/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    } finally {
      await proxy.close()
    }
  })

  it("the real emulator's 429 (1 request a second) is waited out too", async () => {
    // The window may turn over between spending it and the command's request: try a few times.
    let result = await onTerminal(["keys", "list"], limited.env)
    for (let attempt = 0; attempt < 8 && !result.stdout.includes("Rate limited"); attempt++) {
      await api(limited, "GET", "/v1/account")
      result = await onTerminal(["keys", "list"], limited.env)
    }
    expect(result.stdout).toMatch(/Rate limited by Bytekit: retrying in \d+s…/)
    expect(result.code).toBe(0)
  })
})

describe("a slow answer shows progress on a terminal, and nothing elsewhere", () => {
  it("a spinner naming what it waits for, cleared before the answer", async () => {
    const slow = await scriptedServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ data: [] }))
      }, 700)
    })
    try {
      const env = { BYTEKIT_BASE_URL: slow.url, BYTEKIT_API_KEY: emulator.apiKey }
      const onTty = await onTerminal(["keys", "list"], env)
      expect(onTty.code).toBe(0)
      expect(onTty.stdout).toMatch(/\r\u001b\[2K. Listing keys…/)
      expect(onTty.stdout).toMatch(/\r\u001b\[2KNo active keys/)
      const piped = await bytekit(["keys", "list"], env)
      expect(piped.stderr).toBe("")
      expect(piped.stdout).toBe("No active keys (--all shows revoked ones).\n")
    } finally {
      await slow.close()
    }
  })
})

describe.skipIf(!hasTmux)("Ctrl-C stops a command with status 130", () => {
  it("while waiting for an answer", async () => {
    const silent = await scriptedServer(() => undefined)
    const term = tmux("interrupt")
    try {
      // The shell traps SIGINT (a handler, which the child does not inherit) so it lives to report the status.
      term.start(`trap true INT; ${commandLine(["keys", "list"], { BYTEKIT_BASE_URL: silent.url, BYTEKIT_API_KEY: emulator.apiKey })}; echo "EXIT=$?"; sleep 30`)
      await eventually(() => term.screen().includes("Listing keys"), 10_000, "the spinner")
      term.send("C-c")
      await eventually(() => /EXIT=\d+/.test(term.screen()), 10_000, "the exit status")
      expect(term.screen()).toContain("EXIT=130")
      // The spinner's line was cleared on the way out.
      expect(term.screen()).not.toContain("Listing keys")
    } finally {
      term.kill()
      await silent.close()
    }
  })

  it("bytekit emulator: the emulator is stopped too", async () => {
    const term = tmux("interrupt-emulator")
    try {
      term.start(`trap true INT; ${commandLine(["emulator", "--port", "0", "--json"], {})}; echo "EXIT=$?"; sleep 30`)
      await eventually(() => term.screen().includes('"api_key"'), 10_000, "the emulator")
      const url = JSON.parse(term.screen().split("\n").find((line) => line.startsWith("{"))!).url as string
      term.send("C-c")
      await eventually(() => /EXIT=\d+/.test(term.screen()), 10_000, "the exit status")
      expect(term.screen()).toContain("EXIT=130")
      await expect(fetch(`${url}/v1/account`)).rejects.toThrow()
    } finally {
      term.kill()
    }
  })
})
