/**
 * The emulator under 200 concurrent mixed requests from four accounts: every answer right, never
 * over 50 active keys, never one account's plaintext to another, revoke idempotent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/emulator/index.js"

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ revealLimit: 0 })
})
afterAll(() => emulator.stop())

const request = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(emulator.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) }
}

describe("200 concurrent mixed requests", () => {
  it("answers each one correctly and keeps every invariant", async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, async () => {
      const account = emulator.createAccount()
      const session = await emulator.mintSessionToken(account.userId)
      const keys: Array<{ id: string; plaintext: string }> = []
      // 44 more keys: 45 active, so concurrent creates run into the cap.
      for (let i = 0; i < 44; i++) {
        const { json } = await request("POST", "/v1/account/api-keys", account.apiKey, { name: `pre ${i}` })
        keys.push({ id: json.id, plaintext: json.key })
      }
      return { ...account, session, keys }
    }))
    const plaintextOf = new Map(accounts.flatMap((a) => a.keys.map((k) => [k.id, k.plaintext] as const)))

    type Outcome = { account: number; kind: string; status: number; json: any; id?: string }
    const jobs: Array<() => Promise<Outcome>> = []
    for (let i = 0; i < 200; i++) {
      const a = accounts[i % 4]!
      const other = accounts[(i + 1) % 4]!
      const account = i % 4
      const key = a.keys[i % a.keys.length]!
      const round = Math.floor(i / 4) // each round gives every account one request
      const op = round % 8
      const revokable = a.keys[40 + (Math.floor(round / 8) % 4)]! // four keys per account, some revoked twice
      jobs.push(async () => {
        switch (op) {
          case 0:
          case 1:
            return { account, kind: "create", ...(await request("POST", "/v1/account/api-keys", a.apiKey, { name: `c${i}` })) }
          case 2:
            return { account, kind: "list", ...(await request("GET", "/v1/account/api-keys", a.apiKey)) }
          case 3:
            return { account, kind: "get", id: key.id, ...(await request("GET", `/v1/account/api-keys/${key.id}`, a.apiKey)) }
          case 4:
            return { account, kind: "rename", id: key.id, ...(await request("PATCH", `/v1/account/api-keys/${key.id}`, a.apiKey, { name: `r${i}` })) }
          case 5:
            return { account, kind: "revoke", id: revokable.id, ...(await request("DELETE", `/v1/account/api-keys/${revokable.id}`, a.apiKey)) }
          case 6:
            return { account, kind: "reveal", id: key.id, ...(await request("POST", `/v1/account/api-keys/${key.id}/reveal`, a.session)) }
          default:
            return { account, kind: "reveal other", id: key.id, ...(await request("POST", `/v1/account/api-keys/${key.id}/reveal`, other.session)) }
        }
      })
    }
    const outcomes = await Promise.all(jobs.map((job) => job()))
    expect(outcomes).toHaveLength(200)

    for (const o of outcomes) {
      switch (o.kind) {
        case "create":
          expect([201, 409]).toContain(o.status)
          if (o.status === 409) expect(o.json.error.code).toBe("api_key_limit_reached")
          else plaintextOf.set(o.json.id, o.json.key)
          break
        case "list":
          expect(o.status).toBe(200)
          expect(o.json.data.length).toBeLessThanOrEqual(50)
          break
        case "get":
          expect(o.status).toBe(200)
          expect(o.json.id).toBe(o.id)
          break
        case "rename":
          // Keys 40..43 may be revoked by now; the rest rename.
          expect([200, 409]).toContain(o.status)
          break
        case "revoke":
          expect(o.status).toBe(204)
          break
        case "reveal":
          expect([200, 409]).toContain(o.status)
          if (o.status === 200) expect(o.json.key).toBe(plaintextOf.get(o.id!))
          break
        case "reveal other":
          expect(o.status).toBe(403)
          expect(JSON.stringify(o.json)).not.toMatch(/sk_test_[0-9A-Za-z]{40}/)
          break
      }
    }

    expect(outcomes.some((o) => o.kind === "create" && o.status === 409)).toBe(true)
    for (const [index, account] of accounts.entries()) {
      const { json } = await request("GET", "/v1/account/api-keys", account.apiKey)
      const mine = outcomes.filter((o) => o.account === index)
      const created = mine.filter((o) => o.kind === "create" && o.status === 201).length
      const revoked = new Set(mine.filter((o) => o.kind === "revoke").map((o) => o.id)).size
      expect(mine.filter((o) => o.kind === "revoke").length).toBeGreaterThan(revoked) // some revoked twice
      // 45 active before, plus what was created, minus what was revoked: nothing lost, nothing doubled.
      expect(json.data.length).toBe(45 + created - revoked)
      expect(json.data.length).toBeLessThanOrEqual(50)
      const ids = json.data.map((k: { id: string }) => k.id)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })
})
