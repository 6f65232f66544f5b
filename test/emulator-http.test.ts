/**
 * The emulator's HTTP edge against hostile and careless clients, over raw sockets: control endpoints
 * a web page cannot reach, slow clients answered and bounded, and the contract's rate-limit headers on
 * every answer.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { connect, type Socket } from "node:net"
import { createInterface } from "node:readline"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/emulator/index.js"

/** One HTTP answer read off a raw socket. */
interface RawAnswer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

const parseAnswer = (text: string): RawAnswer | undefined => {
  const end = text.indexOf("\r\n\r\n")
  if (end === -1) return undefined
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n")
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(":")
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers["content-length"] ?? 0)
  const body = text.slice(end + 4)
  if (Buffer.byteLength(body) < length) return undefined
  return { status: Number(statusLine!.split(" ")[1]), headers, body: body.slice(0, length) }
}

/** A raw connection: writes what it is given, and resolves `answer` with the first full answer (or undefined on close without one). */
const rawConnection = (url: string) => {
  const { hostname, port } = new URL(url)
  const socket: Socket = connect(Number(port), hostname)
  let text = ""
  const answer = new Promise<RawAnswer | undefined>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1")
      const parsed = parseAnswer(text)
      if (parsed !== undefined) resolve(parsed)
    })
    socket.on("close", () => resolve(parseAnswer(text)))
    // A server that answers and closes while the client still sends gives EPIPE/ECONNRESET: not a test failure.
    socket.on("error", () => undefined)
  })
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) resolve()
      else socket.write(data, () => resolve())
    })
  return { socket, answer, write }
}

/** Sends a whole request on a fresh connection and reads the answer. */
const rawRequest = async (url: string, request: string): Promise<RawAnswer> => {
  const connection = rawConnection(url)
  await connection.write(request)
  const answer = await connection.answer
  connection.socket.destroy()
  if (answer === undefined) throw new Error("the connection closed without an answer")
  return answer
}

const host = (url: string) => new URL(url).host

const expectRateLimitHeaders = (headers: Record<string, string> | Headers, what: string) => {
  const get = (name: string) => headers instanceof Headers ? headers.get(name) : headers[name]
  expect(get("x-ratelimit-limit"), what).toMatch(/^\d+$/)
  expect(get("x-ratelimit-remaining"), what).toMatch(/^\d+$/)
  expect(Number(get("x-ratelimit-reset")), what).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000))
}

/** The emulator's bin, from source, in a child process; its first stdout line (with --json) parsed. */
const startBin = async (...args: Array<string>) => {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "src/emulator/bin.ts", "--port", "0", "--json", ...args],
    { stdio: ["ignore", "pipe", "inherit"] }
  )
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve)
    child.once("exit", (code) => reject(new Error(`bytekit-emulator exited with ${code}`)))
  })
  const stopped = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return {
    ...(JSON.parse(line) as { url: string; api_key: string; legacy_key_id?: string }),
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM")
      await stopped
    }
  }
}

/** Resident set size of a process, in MiB (Linux). */
const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return Number(match![1]) / 1024
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

const mint = (init: RequestInit = {}) => fetch(`${emulator.url}/_emulator/session`, { method: "POST", ...init })

describe("control endpoints take JSON only", () => {
  it("a text/plain POST to /_emulator/session is 415 and mints no session", async () => {
    const response = await mint({ headers: { "content-type": "text/plain" }, body: JSON.stringify({ user_id: "user_owner" }) })
    expect(response.status).toBe(415)
    const text = await response.text()
    expect(JSON.parse(text).error.code).toBe("unsupported_media_type")
    expect(text).not.toContain("token")
  })

  it("a form POST and a POST without a content type are 415", async () => {
    expect((await mint({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "user_id=user_owner" })).status).toBe(415)
    expect((await mint({ headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--" })).status).toBe(415)
    const bare = await rawRequest(emulator.url, `POST /_emulator/session HTTP/1.1\r\nHost: ${host(emulator.url)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    expect(bare.status).toBe(415)
  })

  it("a JSON POST mints a session", async () => {
    const response = await mint({ headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: "user_member" }) })
    expect(response.status).toBe(201)
    expect(((await response.json()) as { account_id: string }).account_id).toBe("acct_demo")
  })

  it("a JSON POST carrying a foreign Origin is 403 (a DNS-rebound page is cross-origin to its own Host)", async () => {
    const response = await mint({ headers: { "content-type": "application/json", origin: "https://evil.example" }, body: "{}" })
    expect(response.status).toBe(403)
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
    expect(await response.text()).not.toContain("token")
  })
})

describe("control endpoints answer CORS only to loopback and configured origins", () => {
  const preflight = (url: string, origin: string, path = "/_emulator/session") =>
    fetch(`${url}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
    })

  it("a preflight from https://evil.example gets no Access-Control-Allow-Origin", async () => {
    const response = await preflight(emulator.url, "https://evil.example")
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
    expect(response.headers.get("access-control-allow-methods")).toBeNull()
  })

  it("look-alike origins are not loopback", async () => {
    for (const origin of ["http://localhost.evil.example", "http://127.0.0.1.evil.example:80", "null", "file://", "http://evil.example#http://localhost:1"]) {
      expect((await preflight(emulator.url, origin)).headers.get("access-control-allow-origin"), origin).toBeNull()
    }
  })

  it("preflights from http://localhost:5173, http://127.0.0.1 and http://[::1] are allowed", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080", "http://localhost"]) {
      const response = await preflight(emulator.url, origin)
      expect(response.status, origin).toBe(204)
      expect(response.headers.get("access-control-allow-origin"), origin).toBe(origin)
      expect(response.headers.get("access-control-allow-methods"), origin).toContain("POST")
      expect(response.headers.get("access-control-allow-headers")?.toLowerCase(), origin).toContain("content-type")
    }
  })

  it("a JSON POST from a loopback origin mints a session readable by that origin", async () => {
    const response = await mint({ headers: { "content-type": "application/json", origin: "http://localhost:5173" }, body: "{}" })
    expect(response.status).toBe(201)
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
  })

  it("origins given by the corsOrigins option are allowed, others still are not", async () => {
    const configured = await startEmulator({ corsOrigins: ["https://dev.example:8443"] })
    try {
      expect((await preflight(configured.url, "https://dev.example:8443")).headers.get("access-control-allow-origin")).toBe("https://dev.example:8443")
      expect((await preflight(configured.url, "https://dev.example")).headers.get("access-control-allow-origin")).toBeNull()
      const minted = await fetch(`${configured.url}/_emulator/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://dev.example:8443" },
        body: "{}"
      })
      expect(minted.status).toBe(201)
    } finally {
      await configured.stop()
    }
  })

  it("the bin's --cors-origin flag (repeatable) allows those origins", async () => {
    const bin = await startBin("--cors-origin", "https://a.example", "--cors-origin", "http://b.example:8080")
    try {
      for (const origin of ["https://a.example", "http://b.example:8080"]) {
        expect((await preflight(bin.url, origin)).headers.get("access-control-allow-origin"), origin).toBe(origin)
      }
      expect((await preflight(bin.url, "https://c.example")).headers.get("access-control-allow-origin")).toBeNull()
    } finally {
      await bin.stop()
    }
  })

  it("the Bytekit routes keep CORS for any origin (the browser example)", async () => {
    const response = await preflight(emulator.url, "https://app.example", "/v1/account/api-keys")
    expect(response.status).toBe(204)
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example")
    const get = await fetch(`${emulator.url}/v1/account`, { headers: { origin: "https://app.example", authorization: `Bearer ${emulator.apiKey}` } })
    expect(get.headers.get("access-control-allow-origin")).toBe("https://app.example")
  })
})

describe("slow clients get 408", () => {
  let quick: Emulator
  beforeAll(async () => {
    quick = await startEmulator({ headersTimeout: 300, requestTimeout: 600 })
  })
  afterAll(() => quick.stop())

  it("a request whose headers never finish is answered 408 in the envelope", async () => {
    const connection = rawConnection(quick.url)
    await connection.write(`GET /v1/account HTTP/1.1\r\nHost: ${host(quick.url)}\r\nX-Slow: `)
    const answer = await connection.answer
    expect(answer?.status).toBe(408)
    expect(JSON.parse(answer!.body).error.code).toBe("request_timeout")
    expectRateLimitHeaders(answer!.headers, "408")
  })

  it("a body that never finishes is answered 408, and the emulator keeps answering", async () => {
    const connection = rawConnection(quick.url)
    await connection.write(
      `POST /v1/account/api-keys HTTP/1.1\r\nHost: ${host(quick.url)}\r\nAuthorization: Bearer ${quick.apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`
    )
    const answer = await connection.answer
    expect(answer?.status).toBe(408)
    expect(JSON.parse(answer!.body).error.code).toBe("request_timeout")
    expect((await fetch(`${quick.url}/v1/account`, { headers: { authorization: `Bearer ${quick.apiKey}` } })).status).toBe(200)
  })
})

describe("request bodies share one memory budget", () => {
  const post = (url: string, apiKey: string, length: number, head = "") =>
    `POST /v1/account/api-keys HTTP/1.1\r\nHost: ${host(url)}\r\nAuthorization: Bearer ${apiKey}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${head}`

  it("past the budget a body is answered 503 with Retry-After in the envelope; bodiless requests still pass", async () => {
    const small = await startEmulator({ maxBufferedBytes: 64 * 1024 })
    try {
      const holder = rawConnection(small.url)
      await holder.write(post(small.url, small.apiKey, 60 * 1024, "{\"name\":\""))
      const refused = await rawRequest(small.url, post(small.url, small.apiKey, 16 * 1024) + `{"name":"${"x".repeat(16 * 1024 - 11)}"}`)
      expect(refused.status).toBe(503)
      expect(refused.headers["retry-after"]).toMatch(/^[1-9]\d*$/)
      expect(refused.headers["connection"]).toBe("close")
      expect(JSON.parse(refused.body).error.code).toBe("service_unavailable")
      expectRateLimitHeaders(refused.headers, "503")
      expect((await fetch(`${small.url}/v1/account`, { headers: { authorization: `Bearer ${small.apiKey}` } })).status).toBe(200)
      // The budget comes back when the slow body's connection goes.
      holder.socket.destroy()
      let status = 0
      for (let i = 0; i < 50 && status !== 201; i++) {
        if (i > 0) await sleep(20)
        status = (await rawRequest(small.url, post(small.url, small.apiKey, 13).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n") + `{"name":"ok"}`)).status
      }
      expect(status).toBe(201)
    } finally {
      await small.stop()
    }
  })

  it("chunked bodies (no Content-Length) count against the budget as they arrive", async () => {
    const small = await startEmulator({ maxBufferedBytes: 64 * 1024 })
    try {
      const connection = rawConnection(small.url)
      await connection.write(
        `POST /v1/account/api-keys HTTP/1.1\r\nHost: ${host(small.url)}\r\nAuthorization: Bearer ${small.apiKey}\r\n` +
          `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
      )
      const chunk = "x".repeat(16 * 1024)
      let answered = false
      void connection.answer.then(() => (answered = true))
      for (let i = 0; i < 8 && !answered; i++) await connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
      const answer = await connection.answer
      expect(answer?.status).toBe(503)
      connection.socket.destroy()
    } finally {
      await small.stop()
    }
  })

  it.skipIf(!existsSync("/proc/self/status"))(
    "200 half-sent 1 MiB bodies held open keep the emulator's RSS bounded, and later bodies get 503 + Retry-After",
    async () => {
      const bin = await startBin()
      const connections: Array<ReturnType<typeof rawConnection>> = []
      try {
        for (let i = 0; i < 20; i++) {
          await fetch(`${bin.url}/v1/account/api-keys`, { headers: { authorization: `Bearer ${bin.api_key}` } })
        }
        await sleep(200)
        const before = rssMiB(bin.pid)
        const half = Buffer.alloc(512 * 1024, "x")
        await Promise.all(Array.from({ length: 200 }, async () => {
          const connection = rawConnection(bin.url)
          connections.push(connection)
          await connection.write(post(bin.url, bin.api_key, 1024 * 1024, "{\"name\":\""))
          await connection.write(half)
        }))
        let after = 0
        for (let i = 0; i < 10; i++) {
          await sleep(50)
          after = Math.max(after, rssMiB(bin.pid))
        }
        const refused = await rawRequest(bin.url, post(bin.url, bin.api_key, 13) + `{"name":"ok"}`)
        console.log(`emulator RSS: ${before.toFixed(1)} MiB before, ${after.toFixed(1)} MiB with 200 half-sent 1 MiB bodies held open`)
        expect(refused.status).toBe(503)
        expect(refused.headers["retry-after"]).toMatch(/^[1-9]\d*$/)
        // 32 MiB of bodies at most, plus sockets and parser state; the unbounded emulator grew by ~180 MB.
        expect(after - before).toBeLessThan(64)
      } finally {
        for (const connection of connections) connection.socket.destroy()
        await bin.stop()
      }
    }
  )
})

describe("every answer carries X-RateLimit-*", () => {
  it("the unknown-route 404, the 405 and the CORS preflights carry them", async () => {
    const auth = { authorization: `Bearer ${emulator.apiKey}` }
    const notFound = await fetch(`${emulator.url}/v1/nope`, { headers: auth })
    expect(notFound.status).toBe(404)
    expectRateLimitHeaders(notFound.headers, "404")
    const anonymousNotFound = await fetch(`${emulator.url}/nope`)
    expectRateLimitHeaders(anonymousNotFound.headers, "anonymous 404")
    const wrongMethod = await fetch(`${emulator.url}/v1/account`, { method: "DELETE", headers: auth })
    expect(wrongMethod.status).toBe(405)
    expectRateLimitHeaders(wrongMethod.headers, "405")
    for (const path of ["/v1/account/api-keys", "/_emulator/session"]) {
      const preflight = await fetch(`${emulator.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" }
      })
      expect(preflight.status).toBe(204)
      expectRateLimitHeaders(preflight.headers, `preflight ${path}`)
      expect(preflight.headers.get("access-control-expose-headers")).toContain("X-RateLimit-Remaining")
    }
  })

  it("X-RateLimit-Limit is the plan's rate_limit_per_sec, by default and when configured", async () => {
    const account = await fetch(`${emulator.url}/v1/account`, { headers: { authorization: `Bearer ${emulator.apiKey}` } })
    const { plan } = (await account.json()) as { plan: { rate_limit_per_sec: number } }
    expect(account.headers.get("x-ratelimit-limit")).toBe(String(plan.rate_limit_per_sec))
    expect(plan.rate_limit_per_sec).toBe(10)

    const limited = await startEmulator({ rateLimit: 3 })
    try {
      const answers: Array<Response> = []
      // The fourth in one second is refused; a window that ticks over just delays it.
      while (answers.length < 50 && answers.at(-1)?.status !== 429) {
        answers.push(await fetch(`${limited.url}/v1/account`, { headers: { authorization: `Bearer ${limited.apiKey}` } }))
      }
      expect(((await answers[0]!.json()) as { plan: { rate_limit_per_sec: number } }).plan.rate_limit_per_sec).toBe(3)
      for (const answer of answers) expect(answer.headers.get("x-ratelimit-limit")).toBe("3")
      expect(answers.at(-1)!.status).toBe(429)
    } finally {
      await limited.stop()
    }
  })

  it("a reveal-limit 429 reports the reveal window: Limit = the reveal limit, Remaining 0, Reset = that window's end", async () => {
    const limited = await startEmulator({ revealLimit: 2 })
    try {
      const token = await limited.mintSessionToken()
      const { id } = (await (await fetch(`${limited.url}/v1/account/api-keys`, { headers: { authorization: `Bearer ${limited.apiKey}` } })).json() as {
        data: Array<{ id: string }>
      }).data[0]!
      const reveal = () => fetch(`${limited.url}/v1/account/api-keys/${id}/reveal`, { method: "POST", headers: { authorization: `Bearer ${token}` } })
      expect((await reveal()).status).toBe(200)
      // The third in one minute is refused; a minute that ticks over just delays it.
      let refused = await reveal()
      for (let i = 0; i < 3 && refused.status !== 429; i++) refused = await reveal()
      expect(refused.status).toBe(429)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited")
      expect(refused.headers.get("x-ratelimit-limit")).toBe("2")
      expect(refused.headers.get("x-ratelimit-remaining")).toBe("0")
      const now = Math.floor(Date.now() / 1000)
      const reset = Number(refused.headers.get("x-ratelimit-reset"))
      // The minute window ends within 60 s; Retry-After waits until then.
      expect(reset).toBeGreaterThanOrEqual(now)
      expect(reset).toBeLessThanOrEqual(now + 61)
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(Math.max(1, reset - now - 1))
    } finally {
      await limited.stop()
    }
  })

  it("answers node:http refuses before the app (431) carry them too", async () => {
    const answer = await rawRequest(emulator.url, `GET /v1/${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(answer.status).toBe(431)
    expectRateLimitHeaders(answer.headers, "431")
  })
})

describe("bytekit-emulator --legacy-key", () => {
  it("seeds a key made before reveal existed and prints its id; reveal answers 409 reveal_unavailable", async () => {
    const bin = await startBin("--legacy-key")
    try {
      expect(bin.legacy_key_id).toMatch(/^ak_/)
      const session = await fetch(`${bin.url}/_emulator/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
      const { token } = (await session.json()) as { token: string }
      const reveal = await fetch(`${bin.url}/v1/account/api-keys/${bin.legacy_key_id}/reveal`, { method: "POST", headers: { authorization: `Bearer ${token}` } })
      expect(reveal.status).toBe(409)
      expect(((await reveal.json()) as { error: { code: string } }).error.code).toBe("reveal_unavailable")
      const listed = await fetch(`${bin.url}/v1/account/api-keys/${bin.legacy_key_id}`, { headers: { authorization: `Bearer ${bin.api_key}` } })
      expect(((await listed.json()) as { reveal_available: boolean }).reveal_available).toBe(false)
    } finally {
      await bin.stop()
    }
  })
})
