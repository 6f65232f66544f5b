/** `--data`: state survives a restart and a kill -9 in the middle of writes, no key lost or duplicated. */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { startEmulatorProcess } from "#line-test/processes.js"

const api = (url: string, token: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, json: (await response.json().catch(() => undefined)) as any }
}

describe("durable state", () => {
  it("survives a restart: keys, revocations and the bootstrap key", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "bytekit-")), "state.json")
    const first = await startEmulatorProcess("--data", file)
    const call = api(first.url, first.api_key)
    const a = (await call("POST", "/v1/account/api-keys", { name: "kept" })).json
    const b = (await call("POST", "/v1/account/api-keys", { name: "revoked" })).json
    expect((await call("DELETE", `/v1/account/api-keys/${b.id}`)).status).toBe(204)
    first.stop()
    await new Promise((resolve) => setTimeout(resolve, 300))

    const second = await startEmulatorProcess("--data", file)
    try {
      expect(second.api_key).toBe(first.api_key)
      const again = api(second.url, second.api_key)
      const listed = (await again("GET", "/v1/account/api-keys?include_revoked=true")).json.data
      expect(listed.map((k: { name: string }) => k.name)).toEqual(["revoked", "kept", "Bootstrap key"])
      expect(listed[0].revoked_at).not.toBeNull()
      // The created key still authenticates, and the plaintext is nowhere in the file.
      expect((await api(second.url, a.key)("GET", "/v1/account")).status).toBe(200)
      expect(readFileSync(file, "utf8")).not.toContain(a.key)
    } finally {
      second.stop()
    }
  })

  it("a kill -9 in the middle of a burst of creates loses and duplicates nothing that was answered", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "bytekit-")), "state.json")
    const first = await startEmulatorProcess("--data", file)
    const call = api(first.url, first.api_key)
    const answered: Array<string> = []
    const burst = Array.from({ length: 45 }, (_, i) =>
      call("POST", "/v1/account/api-keys", { name: `k${i}` })
        .then((r) => {
          if (r.status === 201) answered.push(r.json.id)
          // Kill -9 once some creates are answered while others are still being written.
          if (answered.length === 15) first.kill("SIGKILL")
        })
        .catch(() => {})
    )
    await Promise.all(burst)
    expect(answered.length).toBeGreaterThanOrEqual(15)
    expect(answered.length).toBeLessThan(45)
    await new Promise((resolve) => setTimeout(resolve, 300))

    JSON.parse(readFileSync(file, "utf8")) // the file is whole
    const second = await startEmulatorProcess("--data", file)
    try {
      const ids: Array<string> = (await api(second.url, second.api_key)("GET", "/v1/account/api-keys")).json.data.map(
        (k: { id: string }) => k.id
      )
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of answered) expect(ids).toContain(id)
    } finally {
      second.stop()
    }
  })
})
