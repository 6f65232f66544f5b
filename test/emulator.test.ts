/** The emulator at the HTTP level: every answer in the envelope, CORS, rate-limit headers, sessions, the bin. */
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/emulator/index.js"

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token, ...rest } = init
  const headers = new Headers(rest.headers)
  if (token !== null) headers.set("authorization", `Bearer ${token ?? emulator.apiKey}`)
  const response = await fetch(emulator.url + path, { ...rest, headers })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: text === "" ? undefined : JSON.parse(text) }
}

const expectEnvelope = (result: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
  expect(result.status).toBe(status)
  expect(result.headers.get("content-type")).toBe("application/json")
  expect(result.json).toEqual({ error: { code, message: expect.any(String), details: expect.any(Object) } })
}

describe("bad requests answer in the envelope", () => {
  it("malformed JSON is 400 invalid_request", async () => {
    const result = await call("/v1/account/api-keys", { method: "POST", body: "{\"name\":", headers: { "content-type": "application/json" } })
    expectEnvelope(result, 400, "invalid_request")
  })

  it("a wrong content type is 400 invalid_request", async () => {
    const result = await call("/v1/account/api-keys", { method: "POST", body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } })
    expectEnvelope(result, 400, "invalid_request")
  })

  it("a body that fails the schema is 400 with the issue in details", async () => {
    const result = await call("/v1/account/api-keys", { method: "POST", body: JSON.stringify({ name: 42 }), headers: { "content-type": "application/json" } })
    expectEnvelope(result, 400, "invalid_request")
    expect(result.json.error.details.issue).toContain("name")
  })

  it("unknown body fields are ignored", async () => {
    const result = await call("/v1/account/api-keys", { method: "POST", body: JSON.stringify({ name: "ok", colour: "red" }), headers: { "content-type": "application/json" } })
    expect(result.status).toBe(201)
    expect(result.json.colour).toBeUndefined()
  })

  it("a body over 1 MiB is 413 payload_too_large, and the emulator keeps answering", async () => {
    const body = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) })
    const result = await call("/v1/account/api-keys", { method: "POST", body, headers: { "content-type": "application/json" } })
    expectEnvelope(result, 413, "payload_too_large")
    expect((await call("/v1/account")).status).toBe(200)
  })

  it("rename without a body is 400", async () => {
    expectEnvelope(await call("/v1/account/api-keys/ak_x", { method: "PATCH" }), 400, "invalid_request")
  })

  it("an include_revoked that is not a boolean is 400", async () => {
    expectEnvelope(await call("/v1/account/api-keys?include_revoked=maybe"), 400, "invalid_request")
  })

  it("unknown routes are 404 and wrong methods 405, in the envelope", async () => {
    expectEnvelope(await call("/v1/nope"), 404, "not_found")
    const wrong = await call("/v1/account", { method: "DELETE" })
    expectEnvelope(wrong, 405, "method_not_allowed")
    expect(wrong.headers.get("allow")).toBe("GET")
  })

  it("huge, odd and badly encoded ids answer 404 or 400, never a crash", async () => {
    expectEnvelope(await call(`/v1/account/api-keys/${"a".repeat(20_000)}`), 404, "not_found")
    expectEnvelope(await call(`/v1/account/api-keys/${"a".repeat(100_000)}`), 431, "request_header_fields_too_large")
    expectEnvelope(await call("/v1/account/api-keys/%F0%9F%94%91"), 404, "not_found")
    expectEnvelope(await call("/v1/account/api-keys/%E0%A4%A"), 400, "invalid_request")
    expectEnvelope(await call("/v1/account/api-keys/..%2F..%2Fetc"), 404, "not_found")
  })
})

describe("rate-limit headers and CORS", () => {
  it("every response carries X-RateLimit-* and CORS headers, errors included", async () => {
    for (const result of [await call("/v1/account"), await call("/v1/account", { token: "sk_test_bad" }), await call("/v1/account/api-keys/ak_none")]) {
      expect(Number(result.headers.get("x-ratelimit-limit"))).toBeGreaterThan(0)
      expect(result.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/)
      expect(Number(result.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000))
      expect(result.headers.get("access-control-allow-origin")).toBe("*")
    }
  })

  it("answers a CORS preflight", async () => {
    const response = await fetch(`${emulator.url}/v1/account/api-keys/ak_1/reveal`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "authorization" }
    })
    expect(response.status).toBe(204)
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
    expect(response.headers.get("access-control-allow-methods")).toContain("POST")
    expect(response.headers.get("access-control-allow-headers")).toContain("authorization")
  })
})

describe("Clerk sessions", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

  it("a minted session works; expired, foreign, unsigned and wrong-issuer tokens are 401 unauthenticated", async () => {
    expect((await call("/v1/account", { token: await emulator.mintSessionToken() })).status).toBe(200)
    const other = await startEmulator()
    const tokens = {
      expired: await emulator.app.clerk.mint(emulator.seed.ownerUserId, -120),
      foreignSignature: await other.mintSessionToken(),
      algNone: `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: emulator.seed.ownerUserId, iss: emulator.app.clerk.issuer, exp: Math.floor(Date.now() / 1000) + 60 })}.`,
      wrongIssuer: await emulator.app.clerk.mint(emulator.seed.ownerUserId, 60, "https://evil.example"),
      garbage: "not-a-jwt"
    }
    await other.stop()
    for (const [name, token] of Object.entries(tokens)) {
      const result = await call("/v1/account", { token })
      expect(result.status, name).toBe(401)
      expect(result.json.error.code, name).toBe("unauthenticated")
    }
  })

  it("mints session tokens over HTTP for browser pages, and serves the JWKS", async () => {
    const minted = await fetch(`${emulator.url}/_emulator/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: emulator.seed.memberUserId })
    })
    expect(minted.status).toBe(201)
    const { account_id, token } = await minted.json() as { token: string; account_id: string }
    expect(account_id).toBe(emulator.seed.accountId)
    expect((await call("/v1/account", { token })).json.owner_user_id).toBe(emulator.seed.ownerUserId)
    const jwks = await (await fetch(`${emulator.url}/_emulator/jwks.json`)).json() as { keys: Array<{ alg: string }> }
    expect(jwks.keys[0]!.alg).toBe("RS256")
  })
})

describe("bytekit-emulator", () => {
  it("--json prints one line with url and api_key, and the emulator answers with that key", async () => {
    const child = spawn(process.execPath, ["dist/emulator-bin.js", "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] })
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve))
      const { api_key, url } = JSON.parse(line) as { url: string; api_key: string }
      expect(api_key).toMatch(/^sk_test_/)
      const response = await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${api_key}` } })
      expect(response.status).toBe(200)
    } finally {
      child.kill("SIGTERM")
    }
  })

  it("rejects a bad flag with exit code 2 and usage", async () => {
    const child = spawn(process.execPath, ["dist/emulator-bin.js", "--port", "nope"], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr!.on("data", (chunk) => (stderr += chunk))
    const code = await new Promise((resolve) => child.on("exit", resolve))
    expect(code).toBe(2)
    expect(stderr).toContain("usage")
  })
})
