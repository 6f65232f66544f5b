/**
 * `bytekit emulator`: starts bytekit-effect 2.x's emulator with bytekit-emulator's flags; the CLI talks to it.
 */
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bin, bytekit, cleanEnv, scriptedServer } from "./support.js"

/** Runs `bytekit emulator …` until it prints its first line; returns that line and a stop function. */
const startThroughCli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ first: string; stop: () => Promise<number | null> }>((resolve, reject) => {
    const child = spawn(bin, ["emulator", "--port", "0", ...args], {
      env: cleanEnv(env),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      out += chunk
      if (!out.includes("\n")) return
      resolve({
        first: out.split("\n")[0]!,
        stop: () =>
          new Promise((done) => {
            child.once("exit", (code) => done(code))
            child.kill("SIGTERM")
          })
      })
    })
    child.on("exit", (code) => reject(new Error(`bytekit emulator exited ${code}`)))
  })

describe("bytekit emulator starts the emulator the CLI can use", () => {
  it("--json prints {url, api_key}; keys list works against it; SIGTERM stops it with status 0", async () => {
    const emulator = await startThroughCli(["--json"])
    const ready = JSON.parse(emulator.first) as { url: string; api_key: string }
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(ready.api_key).toMatch(/^sk_test_/)
    const list = await bytekit(["keys", "list", "--base-url", ready.url], { BYTEKIT_API_KEY: ready.api_key })
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/Bootstrap key/)
    expect(await emulator.stop()).toBe(0)
  })

  it("takes bytekit-emulator's flags: --environment live, --legacy-key, --host", async () => {
    const emulator = await startThroughCli(["--json", "--environment", "live", "--legacy-key", "--host", "127.0.0.1", "--reveal-limit", "0"])
    const ready = JSON.parse(emulator.first) as { api_key: string; legacy_key_id?: string }
    expect(ready.api_key).toMatch(/^sk_live_/)
    expect(ready.legacy_key_id).toMatch(/^ak_/)
    await emulator.stop()
  })

  it("passes the rest on: --data and --sealing-key-file keep keys across restarts, --rate-limit, --cors-origin, limits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-cli-emulator-"))
    const sealing = join(dir, "sealing.key")
    writeFileSync(sealing, randomBytes(32).toString("base64"))
    const args = [
      "--json", "--data", join(dir, "state.json"), "--sealing-key-file", sealing, "--rate-limit", "50",
      "--cors-origin", "http://app.example", "--max-buffered-bytes", "1000000", "--headers-timeout", "5000",
      "--request-timeout", "10000"
    ]
    const first = await startThroughCli(args)
    const ready = JSON.parse(first.first) as { url: string; api_key: string }
    const env = { BYTEKIT_BASE_URL: ready.url, BYTEKIT_API_KEY: ready.api_key }
    const created = await bytekit(["keys", "create", "--name", "kept", "--json"], env)
    const id = JSON.parse(created.stdout).id as string
    const preflight = await fetch(`${ready.url}/v1/account`, {
      method: "OPTIONS",
      headers: { origin: "http://app.example", "access-control-request-method": "GET" }
    })
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://app.example")
    const answer = await fetch(`${ready.url}/v1/account`, { headers: { authorization: `Bearer ${ready.api_key}` } })
    expect(answer.headers.get("x-ratelimit-limit")).toBe("50")
    expect(await first.stop()).toBe(0)

    const second = await startThroughCli(args)
    const again = JSON.parse(second.first) as { url: string }
    const got = await bytekit(["keys", "get", id, "--json"], { ...env, BYTEKIT_BASE_URL: again.url })
    expect(got.code).toBe(0)
    expect(JSON.parse(got.stdout).name).toBe("kept")
    await second.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("without --json says where it listens", async () => {
    const emulator = await startThroughCli([])
    expect(emulator.first).toMatch(/^Bytekit emulator listening on http:\/\/127\.0\.0\.1:\d+$/)
    await emulator.stop()
  })

  it("--help lists every flag of bytekit-emulator", async () => {
    const help = await bytekit(["emulator", "--help"])
    expect(help.code).toBe(0)
    for (
      const flag of [
        "--port", "--host", "--environment", "--rate-limit", "--reveal-limit", "--data", "--cors-origin",
        "--max-buffered-bytes", "--headers-timeout", "--request-timeout", "--legacy-key", "--sealing-key-file"
      ]
    ) expect(help.stdout).toContain(flag)
  })

  it("a port in use: status 1, one line naming the fix", async () => {
    const taken = await scriptedServer(() => undefined)
    try {
      const run = await bytekit(["emulator", "--port", new URL(taken.url).port])
      expect(run.code).toBe(1)
      expect(run.stdout).toBe("")
      expect(run.stderr).toBe("bytekit: the port is in use; pick another with --port (0 picks a free one)\n")
    } finally {
      await taken.close()
    }
  })

  it("a data file that does not load: status 1, one line naming the file, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bytekit-cli-emulator-"))
    const data = join(dir, "state.json")
    writeFileSync(data, "{ not json")
    const run = await bytekit(["emulator", "--port", "0", "--data", data])
    expect(run.code).toBe(1)
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(run.stderr).toContain("state.json")
    expect(run.stderr).not.toMatch(/^\s+at /m)
    rmSync(dir, { recursive: true, force: true })
  })
})
