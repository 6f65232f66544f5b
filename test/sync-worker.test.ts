/**
 * The sync forms' worker under the loaders and preloads people run Node with, each in a child
 * process with a hard time limit: a sync call answers, or fails at once with `WorkerUnavailable`
 * naming the cause, never blocking until the retry deadline (about 5 minutes). And the blocking
 * deadline follows the client's retry policy. Needs the built package (`npx tsup`).
 */
import * as distGetAccount from "bytekit-effect/api/account/getAccount"
import { AuthenticatedClient as DistAuthenticatedClient } from "bytekit-effect/client"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { syncDeadlineMillis } from "#line/internal/adapters/blocking.js"
import { AuthenticatedClient } from "#line/internal/adapters/Client.js"
import * as getAccount from "#line/api/account/getAccount.js"
import { defaultRetryPolicy, resolveRetryPolicy, worstCaseMillis } from "#line/internal/client/retry.js"
import { lineFixture, lineRoot } from "#line-test/line.js"
import { fixture, startEmulatorProcess, startProcess } from "#line-test/processes.js"

/** The scripts that load the package by name, placed in the line's package (Node resolves the name from where they sit). */
const script = { mjs: lineFixture("sync/get-account.mjs"), ts: lineFixture("sync/get-account.ts") }
/** A preload, as `--import` takes it. */
const preload = (name: string) => pathToFileURL(fixture(`sync/${name}`)).href
const tsx = join(lineRoot, "node_modules/.bin/tsx")
/** Resolves as the line does (its node_modules). */
const require = createRequire(join(lineRoot, "package.json"))

let emulator: Awaited<ReturnType<typeof startEmulatorProcess>>
beforeAll(async () => {
  emulator = await startEmulatorProcess()
})
afterAll(() => emulator?.stop())

interface Outcome {
  readonly id?: string
  readonly tag?: string
  readonly sent?: boolean
  readonly message?: string
}

/**
 * Runs a fixture script against the emulator and answers its JSON lines; fails if it has not
 * finished within `limitMillis` (it is killed then).
 */
const runScript = (
  command: string,
  args: ReadonlyArray<string>,
  { count = 1, env = {}, limitMillis }: { count?: number; env?: Record<string, string>; limitMillis: number }
): Promise<Array<Outcome>> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args, emulator.url, emulator.api_key, String(count)], {
      cwd: lineRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMillis)
    child.on("exit", (code, signal) => {
      clearTimeout(timer)
      if (signal === "SIGKILL") reject(new Error(`no outcome within ${limitMillis} ms: ${stdout}${stderr}`))
      else if (code !== 0) reject(new Error(`exited with ${code}: ${stdout}${stderr}`))
      else resolve(stdout.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Outcome))
    })
  })

/** A generous limit for a script that must answer (tsx compiles the sources on a busy machine). */
const answerLimit = 60_000
/** The limit for a script whose worker cannot run: it must fail within seconds. */
const failLimit = 10_000

const resolvable = (specifier: string): boolean => {
  try {
    require.resolve(specifier)
    return true
  } catch {
    return false
  }
}

/** A Node that strips types: this one if it can, or one named by BYTEKIT_NODE22. */
const typeStrippingNode = (() => {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number)
  if (major > 22 || (major === 22 && minor >= 6)) return process.execPath
  return process.env["BYTEKIT_NODE22"]
})()

describe("a sync form answers under each loader", () => {
  it.concurrent("plain node, the built package", async ({ expect }) => {
    expect(await runScript(process.execPath, [script.mjs], { limitMillis: answerLimit })).toEqual([
      { id: "acct_demo" }
    ])
  })

  it.concurrent("tsx running the TypeScript sources (tsconfig paths map the package to src/, the worker is .ts)", async ({ expect }) => {
    expect(await runScript(tsx, [script.ts], { count: 2, limitMillis: answerLimit })).toEqual([
      { id: "acct_demo" },
      { id: "acct_demo" }
    ])
  })

  it.concurrent("node --import tsx running the TypeScript sources", async ({ expect }) => {
    expect(await runScript(process.execPath, ["--import", "tsx", script.ts], { limitMillis: answerLimit }))
      .toEqual([{ id: "acct_demo" }])
  })

  it.runIf(resolvable("ts-node/esm")).concurrent("ts-node's ESM loader", async ({ expect }) => {
    const outcome = await runScript(process.execPath, ["--loader", "ts-node/esm", script.ts], {
      env: { TS_NODE_TRANSPILE_ONLY: "1" },
      limitMillis: answerLimit
    })
    expect(outcome).toEqual([{ id: "acct_demo" }])
  })

  it.concurrent("an OpenTelemetry-style --import preload that registers module hooks (in the worker too)", async ({ expect }) => {
    const outcome = await runScript(process.execPath, ["--import", preload("register-hooks.mjs"), script.mjs], {
      limitMillis: answerLimit
    })
    expect(outcome).toEqual([{ id: "acct_demo" }])
  })

  it.concurrent("the same preload given by NODE_OPTIONS, with tsx", async ({ expect }) => {
    const outcome = await runScript(tsx, [script.ts], {
      env: { NODE_OPTIONS: `--import ${preload("register-hooks.mjs")}` },
      limitMillis: answerLimit
    })
    expect(outcome).toEqual([{ id: "acct_demo" }])
  })

  it.runIf(typeStrippingNode !== undefined).concurrent("Node 22's --experimental-strip-types", async ({ expect }) => {
    const outcome = await runScript(typeStrippingNode!, ["--experimental-strip-types", "--no-warnings", script.ts], {
      limitMillis: answerLimit
    })
    expect(outcome).toEqual([{ id: "acct_demo" }])
  })

  it("vitest, in this process, from the TypeScript sources", () => {
    const client = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key })
    expect(getAccount.sync(client)?.id).toBe("acct_demo")
  })

  it("vitest, in this process, from the built package", () => {
    const client = new DistAuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key })
    expect(distGetAccount.sync(client)?.id).toBe("acct_demo")
  })
})

describe("a sync form whose worker cannot run fails within seconds with WorkerUnavailable", () => {
  it.concurrent("an --import preload that throws in worker threads: not sent, the preload's error named", async ({ expect }) => {
    const outcome = await runScript(process.execPath, ["--import", preload("refuse-workers.mjs"), script.mjs], {
      count: 2,
      limitMillis: failLimit
    })
    expect(outcome).toHaveLength(2)
    for (const line of outcome) {
      expect(line).toMatchObject({ tag: "WorkerUnavailable", sent: false })
      expect(line.message).toContain("could not load: this preload refuses worker threads")
      expect(line.message).toContain("asyncio")
    }
  })

  it.concurrent("a --require preload from NODE_OPTIONS that throws in worker threads", async ({ expect }) => {
    const outcome = await runScript(process.execPath, [script.mjs], {
      env: { NODE_OPTIONS: `--require ${fixture("sync/refuse-workers.cjs")}` },
      limitMillis: failLimit
    })
    expect(outcome).toEqual([expect.objectContaining({ tag: "WorkerUnavailable", sent: false })])
    expect(outcome[0]!.message).toContain("this CommonJS preload refuses worker threads")
  })

  it.concurrent("a worker that stops during the call: sent, the exit named, and the next call starts a new worker", async ({ expect }) => {
    const outcome = await runScript(process.execPath, ["--import", preload("exit-on-fetch.mjs"), script.mjs], {
      count: 2,
      limitMillis: failLimit
    })
    expect(outcome).toHaveLength(2)
    for (const line of outcome) {
      expect(line).toMatchObject({ tag: "WorkerUnavailable", sent: true })
      expect(line.message).toContain("exited with code 7")
    }
  })
})

describe("the sync deadline is the retry policy's worst case", () => {
  const plain = {
    baseUrl: "http://127.0.0.1:1",
    headers: {},
    timeout: undefined,
    followRedirects: false,
    secretHeaders: undefined,
    maxResponseBytes: undefined,
    maxRetries: undefined,
    retry: undefined,
    token: undefined,
    prefix: "Bearer",
    authHeaderName: "Authorization"
  }

  it("worstCaseMillis: every attempt to its timeout, every wait as long as the policy allows", () => {
    expect(worstCaseMillis(defaultRetryPolicy, 60_000)).toBe(300_000)
    expect(worstCaseMillis({ ...defaultRetryPolicy, maxRetries: 5, maxRetryAfterMillis: 0 }, 1_000)).toBe(21_500)
    expect(worstCaseMillis({ ...defaultRetryPolicy, maxRetries: 0 }, 1_000)).toBe(1_000)
    expect(worstCaseMillis({ ...defaultRetryPolicy, maxRetries: Infinity }, 1_000)).toBe(Infinity)
    expect(worstCaseMillis({ ...defaultRetryPolicy, maxRetries: 1e9, maxRetryAfterMillis: 0 }, 0)).toBe(1e9 * 8_000 - 4 * 8_000 + 7_500)
  })

  it("retry.maxRetries, the client's maxRetries and the call's each set the retries counted", () => {
    const retries = (call: Parameters<typeof syncDeadlineMillis>[0]) => syncDeadlineMillis(call) - 5_000
    const perRetry = 60_000 + 60_000 // an attempt of the default timeout and a Retry-After of up to 60 s
    expect(retries({ operation: "getAccount", client: plain })).toBe(60_000 + 2 * perRetry)
    expect(retries({ operation: "getAccount", client: { ...plain, retry: { maxRetries: 5 } } })).toBe(60_000 + 5 * perRetry)
    expect(retries({ operation: "getAccount", client: { ...plain, maxRetries: 5, retry: { maxRetries: 1 } } })).toBe(60_000 + 5 * perRetry)
    expect(retries({ operation: "getAccount", client: { ...plain, retry: { maxRetries: 5 } }, maxRetries: 0 })).toBe(60_000)
    expect(retries({ operation: "getAccount", client: { ...plain, retry: { maxRetryAfterMillis: 120_000 } } })).toBe(
      60_000 + 2 * (60_000 + 120_000)
    )
    expect(retries({ operation: "getAccount", client: { ...plain, timeout: 1_000 }, timeout: 200 })).toBe(200 + 2 * (200 + 60_000))
  })

  it("a retry field given as undefined keeps its default", () => {
    expect(resolveRetryPolicy({ maxRetries: undefined } as never)).toEqual(defaultRetryPolicy)
  })

  it.each([
    ["retry.maxRetries", { retry: { maxRetries: 5, initialDelayMillis: 20, maxDelayMillis: 100 } }],
    ["maxRetries", { maxRetries: 5, retry: { initialDelayMillis: 20, maxDelayMillis: 100 } }]
  ])("%s 5, a short timeout, four 503s then 200: the sync form succeeds on the fifth attempt", async (_, options) => {
    const server = await startProcess<{ url: string }>(fixture("sync/flaky-server.mjs"), ["4"])
    try {
      const client = new DistAuthenticatedClient({ baseUrl: server.url, token: "sk_test_" + "K".repeat(40), timeout: 500, ...options })
      expect(distGetAccount.sync(client)?.id).toBe("acct_demo")
      expect(await (await fetch(`${server.url}/_count`)).text()).toBe("5")
    } finally {
      server.stop()
    }
  })
})
