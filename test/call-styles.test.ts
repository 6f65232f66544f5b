/**
 * The 28 forms (7 operations × sync, syncDetailed, asyncio, asyncioDetailed), from the built
 * package, against servers in other processes: success, a documented error, an undocumented
 * status with and without raiseOnUnexpectedStatus, a transport failure, revoke's 204.
 */
import * as createApiKey from "bytekit-effect/api/account/createApiKey"
import * as getAccount from "bytekit-effect/api/account/getAccount"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
import {
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  ApiKeyRevealResponse,
  AuthenticatedClient,
  Client,
  ErrorResponse,
  ListApiKeysResponse200
} from "bytekit-effect"
import { Redacted } from "effect"
import type { OperationName } from "#line/core/operations.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { lineRoot } from "#line-test/line.js"
import { closedUrl, mintSession, startEmulatorProcess, startStatusServer } from "#line-test/processes.js"

type Form = "sync" | "syncDetailed" | "asyncio" | "asyncioDetailed"
const forms: ReadonlyArray<Form> = ["sync", "syncDetailed", "asyncio", "asyncioDetailed"]

let emulator: Awaited<ReturnType<typeof startEmulatorProcess>>
let statusServer: Awaited<ReturnType<typeof startStatusServer>>
let unreachable: string
let keyClient: AuthenticatedClient
let sessionToken: string
let sessionClient: AuthenticatedClient

beforeAll(async () => {
  ;[emulator, statusServer, unreachable] = await Promise.all([startEmulatorProcess(), startStatusServer(), closedUrl()])
  keyClient = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key })
  sessionToken = await mintSession(emulator.url)
  // A function token: called per request, as a Clerk session needs (sync forms call it too).
  sessionClient = new AuthenticatedClient({ baseUrl: emulator.url, token: () => sessionToken })
})
afterAll(async () => {
  emulator?.stop()
  statusServer?.stop()
  await Promise.all([keyClient?.dispose(), sessionClient?.dispose()])
})

/** Calls a form and hands back what it returned or threw, awaited, as data. */
const attempt = async (run: () => unknown): Promise<{ value?: any; error?: any }> => {
  try {
    return { value: await run() }
  } catch (error) {
    return { error }
  }
}

/** A fresh key of the seeded account, created with the async form. */
const newKey = async () => (await createApiKey.asyncio(keyClient, { name: "fixture" })) as ApiKeyCreatedResponse

interface Case {
  /** Runs the form of the operation with this client. */
  readonly run: (form: Form, client: Client) => Promise<unknown> | unknown
  readonly client: () => Client
  readonly successStatus: number
  readonly check: (parsed: unknown) => void
  /** A client or call that gets a documented error status, when the operation documents any. */
  readonly documented?: { readonly status: number; readonly code: string; readonly run: (form: Form) => unknown }
}

let sharedKey: ApiKeyCreatedResponse
beforeAll(async () => {
  sharedKey = await newKey()
})

// One case per operation of the core's table: a new operation is asked for here.
const cases: Record<OperationName, Case> = {
  createApiKey: {
    run: (form, client) => createApiKey[form](client, { name: `via ${form}` }),
    client: () => keyClient,
    successStatus: 201,
    check: (parsed) => {
      expect(parsed).toBeInstanceOf(ApiKeyCreatedResponse)
      expect(Redacted.value((parsed as ApiKeyCreatedResponse).key)).toMatch(/^sk_test_/)
    },
    documented: {
      status: 401,
      code: "unauthorized",
      run: (form) => createApiKey[form](new AuthenticatedClient({ baseUrl: emulator.url, token: "sk_test_wrong" }))
    }
  },
  getAccount: {
    run: (form, client) => getAccount[form](client),
    client: () => keyClient,
    successStatus: 200,
    check: (parsed) => expect((parsed as { id: string }).id).toBe("acct_demo")
  },
  getApiKey: {
    run: (form, client) => getApiKey[form](sharedKey.id, client),
    client: () => keyClient,
    successStatus: 200,
    check: (parsed) => expect(parsed).toBeInstanceOf(ApiKeyResponse),
    documented: { status: 404, code: "not_found", run: (form) => getApiKey[form]("ak_missing", keyClient) }
  },
  listApiKeys: {
    run: (form, client) => listApiKeys[form](client, true),
    client: () => keyClient,
    successStatus: 200,
    check: (parsed) => expect((parsed as ListApiKeysResponse200).data.length).toBeGreaterThan(0)
  },
  revealApiKey: {
    run: (form, client) => revealApiKey[form](sharedKey.id, client),
    client: () => sessionClient,
    successStatus: 200,
    check: (parsed) => {
      expect(parsed).toBeInstanceOf(ApiKeyRevealResponse)
      expect(Redacted.value((parsed as ApiKeyRevealResponse).key)).toBe(Redacted.value(sharedKey.key))
    },
    documented: { status: 401, code: "unauthenticated", run: (form) => revealApiKey[form](sharedKey.id, keyClient) }
  },
  updateApiKey: {
    run: (form, client) => updateApiKey[form](sharedKey.id, client, { name: `renamed by ${form}` }),
    client: () => keyClient,
    successStatus: 200,
    check: (parsed) => expect((parsed as ApiKeyResponse).name).toMatch(/^renamed by/),
    documented: { status: 404, code: "not_found", run: (form) => updateApiKey[form]("ak_missing", keyClient, { name: "x" }) }
  },
  revokeApiKey: {
    run: (form, client) => revokeApiKey[form](sharedKey.id, client),
    client: () => keyClient,
    successStatus: 204,
    check: (parsed) => expect(parsed).toBeUndefined(),
    documented: { status: 404, code: "not_found", run: (form) => revokeApiKey[form]("ak_missing", keyClient) }
  }
}

const detailed = (form: Form) => form.endsWith("Detailed")

describe.each(Object.entries(cases))("%s", (_name, c) => {
  it.each(forms)("%s: success", async (form) => {
    const { error, value } = await attempt(() => c.run(form, c.client()))
    expect(error).toBeUndefined()
    if (detailed(form)) {
      expect(value.statusCode).toBe(c.successStatus)
      expect(value.headers["x-ratelimit-limit"]).toBeDefined()
      c.check(value.parsed)
      if (c.successStatus === 204) expect(value.content).toHaveLength(0)
    } else {
      c.check(value)
    }
  })

  if (c.documented) {
    const documented = c.documented
    it.each(forms)("%s: a documented error status gives the parsed ErrorResponse", async (form) => {
      const { error, value } = await attempt(() => documented.run(form))
      expect(error).toBeUndefined()
      const parsed = detailed(form) ? value.parsed : value
      expect(parsed).toBeInstanceOf(ErrorResponse)
      expect(parsed.error.code).toBe(documented.code)
      if (detailed(form)) expect(value.statusCode).toBe(documented.status)
    })
  }

  it.each(forms)("%s: an undocumented status gives undefined, or UnexpectedStatus when raising", async (form) => {
    const lenient = new AuthenticatedClient({ baseUrl: statusServer.url, token: "sk_test_x", maxRetries: 0 })
    const { value } = await attempt(() => c.run(form, lenient))
    if (detailed(form)) {
      expect(value.statusCode).toBe(418)
      expect(new TextDecoder().decode(value.content)).toContain("teapot")
      expect(value.parsed).toBeUndefined()
    } else {
      expect(value).toBeUndefined()
    }
    const strict = new AuthenticatedClient({ baseUrl: statusServer.url, token: "sk_test_x", raiseOnUnexpectedStatus: true })
    const { error } = await attempt(() => c.run(form, strict))
    expect(error._tag).toBe("UnexpectedStatus")
    expect(error.status).toBe(418)
    expect(error.body).toContain("teapot")
    expect(error.message.length).toBeLessThanOrEqual(200)
    await Promise.all([lenient.dispose(), strict.dispose()])
  })

  it.each(forms)("%s: a transport failure is the SDK's TransportError", async (form) => {
    const client = new AuthenticatedClient({ baseUrl: unreachable, token: "sk_test_x", maxRetries: 0 })
    const { error } = await attempt(() => c.run(form, client))
    expect(error).toBeInstanceOf(Error)
    expect(error._tag).toBe("TransportError")
    expect(error.sent).toBe(false)
    expect(String(error)).not.toContain("FiberFailure")
  })
})

describe("options", () => {
  it("an AbortSignal aborts an async form at once", async () => {
    const client = new Client({ baseUrl: statusServer.url, headers: { "x-reply-status": "200", "x-reply-delay-ms": "5000" } })
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 50)
    const { error } = await attempt(() => getAccount.asyncio(client, { signal: controller.signal }))
    expect(error.name).toBe("AbortError")
    expect(Date.now() - started).toBeLessThan(2000)
    await client.dispose()
  })

  it("a sync form's timeout is the SDK's Timeout", async () => {
    const client = new Client({ baseUrl: statusServer.url, headers: { "x-reply-status": "200", "x-reply-delay-ms": "5000" } })
    const started = Date.now()
    const { error } = await attempt(() => getAccount.sync(client, { timeout: 200, maxRetries: 0 }))
    expect(error._tag).toBe("Timeout")
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it("withHeaders and withTimeout return new clients and leave the original as it was", async () => {
    const client = new AuthenticatedClient({ baseUrl: statusServer.url, token: "t" })
    const teapot = client.withHeaders({ "x-reply-status": "404" })
    expect(teapot).not.toBe(client)
    expect(teapot).toBeInstanceOf(AuthenticatedClient)
    expect(client.options.headers).toBeUndefined()
    expect((await getApiKey.asyncioDetailed("ak", teapot)).statusCode).toBe(404)
    expect((await getApiKey.asyncioDetailed("ak", client)).statusCode).toBe(418)
    expect(client.withTimeout(5).options.timeout).toBe(5)
    await Promise.all([client.dispose(), teapot.dispose()])
  })

  it("prefix and authHeaderName change how the token is sent", async () => {
    const client = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key, prefix: "Token" })
    expect((await getAccount.asyncioDetailed(client)).statusCode).toBe(401)
    const bare = new AuthenticatedClient({ baseUrl: emulator.url, token: `Bearer ${emulator.api_key}`, prefix: "" })
    expect((await getAccount.asyncioDetailed(bare)).statusCode).toBe(200)
    const other = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key, authHeaderName: "X-Api-Key" })
    expect((await getAccount.asyncioDetailed(other)).statusCode).toBe(401)
    await Promise.all([client.dispose(), bare.dispose(), other.dispose()])
  })

  it("a custom fetch is used by the async forms and refused, clearly, by the sync forms", async () => {
    const seen: Array<string> = []
    const client = new AuthenticatedClient({
      baseUrl: emulator.url,
      token: emulator.api_key,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      }
    })
    expect(await getAccount.asyncio(client)).toBeDefined()
    expect(seen).toEqual([`${emulator.url}/v1/account`])
    expect(() => getAccount.sync(client)).toThrow(/asyncio/)
    await client.dispose()
  })

  it("a token function returning a Promise works in the async forms; the sync forms ask for a string", async () => {
    const client = new AuthenticatedClient({ baseUrl: emulator.url, token: async () => mintSession(emulator.url) })
    expect((await getAccount.asyncioDetailed(client)).statusCode).toBe(200)
    expect(() => getAccount.sync(client)).toThrow(/synchronously/)
    await client.dispose()
  })

  it("a script that used a sync form exits on its own: the worker never holds the process", async () => {
    const { spawn } = await import("node:child_process")
    const script = `
      import { AuthenticatedClient } from "bytekit-effect/client"
      import * as getAccount from "bytekit-effect/api/account/getAccount"
      const account = getAccount.sync(new AuthenticatedClient({ baseUrl: ${JSON.stringify(emulator.url)}, token: ${JSON.stringify(emulator.api_key)} }))
      console.log(account.id)`
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: lineRoot, stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout!.on("data", (chunk) => (output += chunk))
    const started = Date.now()
    const code = await new Promise((resolve) => child.on("exit", resolve))
    expect(code).toBe(0)
    expect(output.trim()).toBe("acct_demo")
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it("a body that cannot cross to the worker is InvalidInput, not a DataCloneError", () => {
    const { error } = { error: (() => {
      try {
        updateApiKey.sync("ak_1", keyClient, { name: "x", toString: () => "fn" } as never)
      } catch (error) {
        return error as { _tag?: string }
      }
    })() }
    expect(error?._tag).toBe("InvalidInput")
  })

  it("inspecting a client never shows its token", () => {
    const client = new AuthenticatedClient({ token: "sk_test_supersecret" })
    expect(JSON.stringify(client)).not.toContain("supersecret")
    expect(String(Object.values(client.options))).not.toContain("supersecret")
  })
})
