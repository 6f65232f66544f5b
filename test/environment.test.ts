/**
 * The plain clients read `BYTEKIT_API_KEY` and `BYTEKIT_BASE_URL` for what their options leave out,
 * as `BytekitClient.layerConfig` does: `new AuthenticatedClient()` talks to the emulator named by the
 * environment, in all four forms; options given win; a missing (or empty) key and a bad base URL
 * fail every form with `InvalidInput` naming the variable and the fix; the key never shows. From the
 * built package, against the emulator in another process (the sync forms block this thread).
 *
 * `process.env` is global: the tests run one after another, and each restores it.
 */
import * as getAccount from "bytekit-effect/api/account/getAccount"
import { AuthenticatedClient, Client, isBytekitError } from "bytekit-effect"
import { inspect } from "node:util"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest"
import { closedUrl, startEmulatorProcess } from "#line-test/processes.js"

type Form = "sync" | "syncDetailed" | "asyncio" | "asyncioDetailed"
const forms: ReadonlyArray<Form> = ["sync", "syncDetailed", "asyncio", "asyncioDetailed"]

/** Key-shaped, so any echo of it is caught (the emulator refuses it: it is not one of its keys). */
const secret = "sk_test_EnvNeverShowMe0123456789"

let emulator: Awaited<ReturnType<typeof startEmulatorProcess>>
let unreachable: string

beforeAll(async () => {
  ;[emulator, unreachable] = await Promise.all([startEmulatorProcess(), closedUrl()])
})
afterAll(() => {
  emulator?.stop()
})

const names = ["BYTEKIT_API_KEY", "BYTEKIT_BASE_URL"] as const
let saved: Partial<Record<(typeof names)[number], string>> = {}
/** Clients a test made, disposed after it. */
const made: Array<Client> = []

/** Sets (or, for undefined, unsets) the BYTEKIT_* variables; afterEach puts them back. */
const setEnv = (env: Partial<Record<(typeof names)[number], string | undefined>>) => {
  for (const name of names) {
    const value = env[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

beforeEach(() => {
  saved = {}
  for (const name of names) {
    const value = process.env[name]
    if (value !== undefined) saved[name] = value
  }
})
afterEach(async () => {
  setEnv(saved)
  await Promise.all(made.splice(0).map((client) => client.dispose()))
})

const track = <C extends Client>(client: C): C => {
  made.push(client)
  return client
}

/** Runs getAccount's form with this client, handing back what it returned or threw, awaited. */
const attempt = async (form: Form, client: Client): Promise<{ value?: any; error?: any }> => {
  try {
    return { value: await getAccount[form](client) }
  } catch (error) {
    return { error }
  }
}

/** The account the emulator seeds, whatever the form returned (the model, or a Response of it). */
const accountId = (form: Form, value: any): unknown => (form.endsWith("Detailed") ? value.parsed : value)?.id

/** The HTTP status of a detailed form's answer. */
const statusOf = async (form: "syncDetailed" | "asyncioDetailed", client: Client): Promise<number> => {
  const { error, value } = await attempt(form, client)
  expect(error).toBeUndefined()
  return value.statusCode
}

/** Everything a user might print of a value: message, String, inspect, JSON, stack. */
const printed = (value: unknown): string =>
  [
    inspect(value, { depth: Infinity, showHidden: true }),
    String(value),
    JSON.stringify(value) ?? "",
    value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : ""
  ].join("\n")

describe.sequential("the plain clients read BYTEKIT_API_KEY and BYTEKIT_BASE_URL", () => {
  it.each(forms)("%s: new AuthenticatedClient() uses the key and base URL from the environment", async (form) => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient())
    const { error, value } = await attempt(form, client)
    expect(error).toBeUndefined()
    expect(accountId(form, value)).toBe("acct_demo")
    if (form.endsWith("Detailed")) expect(value.statusCode).toBe(200)
  })

  it("new Client() reaches BYTEKIT_BASE_URL, unauthenticated (401), in both detailed forms", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new Client())
    expect(await statusOf("asyncioDetailed", client)).toBe(401)
    expect(await statusOf("syncDetailed", client)).toBe(401)
  })

  it("new AuthenticatedClient({}) and { token: undefined } read the environment too", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    for (const client of [new AuthenticatedClient({}), new AuthenticatedClient({ token: undefined, baseUrl: undefined })]) {
      track(client)
      expect(await statusOf("asyncioDetailed", client)).toBe(200)
      expect(await statusOf("syncDetailed", client)).toBe(200)
    }
  })
})

describe.sequential("options given win over the environment", () => {
  it.each(forms)("%s: token and baseUrl given win over a wrong key and an unreachable base URL", async (form) => {
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: unreachable })
    const client = track(new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.api_key }))
    const { error, value } = await attempt(form, client)
    expect(error).toBeUndefined()
    expect(accountId(form, value)).toBe("acct_demo")
  })

  it("a token given is sent instead of BYTEKIT_API_KEY (401), the base URL still from the environment", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient({ token: secret }))
    expect(await statusOf("asyncioDetailed", client)).toBe(401)
    expect(await statusOf("syncDetailed", client)).toBe(401)
  })

  it("a baseUrl given wins over a BYTEKIT_BASE_URL that is not a URL, which is then not checked", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: "api.bytekit.com" })
    const client = track(new AuthenticatedClient({ baseUrl: emulator.url }))
    expect(await statusOf("asyncioDetailed", client)).toBe(200)
    expect(await statusOf("syncDetailed", client)).toBe(200)
  })

  it("a token given empty is refused as the token, not replaced by BYTEKIT_API_KEY", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient({ token: "" }))
    for (const form of forms) {
      const { error } = await attempt(form, client)
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "token" })
    }
  })
})

describe.sequential("a missing key names the variable to set and the fix, in every form", () => {
  const missing = {
    _tag: "InvalidInput",
    field: "BYTEKIT_API_KEY",
    message: "BYTEKIT_API_KEY is not set: export it, or pass token to AuthenticatedClient"
  }

  it.each([["not set", undefined], ["set empty", ""]] as const)("BYTEKIT_API_KEY %s: InvalidInput in all four forms", async (_, key) => {
    setEnv({ BYTEKIT_API_KEY: key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient())
    for (const form of forms) {
      const { error, value } = await attempt(form, client)
      expect(value).toBeUndefined()
      expect(error).toMatchObject(missing)
      expect(isBytekitError(error)).toBe(true)
      // The SDK's own error, not a config error (its value redacted) inside a FiberFailure.
      expect(inspect(error)).not.toContain("FiberFailure")
      expect(inspect(error)).not.toContain("<redacted>")
      expect(String(error)).toBe(`InvalidInput: ${missing.message}`)
    }
  })

  it("the async forms reject rather than throw, and constructing the client throws nothing", async () => {
    setEnv({ BYTEKIT_API_KEY: undefined, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient())
    const pending = getAccount.asyncio(client)
    expect(pending).toBeInstanceOf(Promise)
    await expect(pending).rejects.toMatchObject(missing)
  })

  it("a missing key is not remembered: set later, the same client's next call uses it", async () => {
    setEnv({ BYTEKIT_API_KEY: undefined, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient())
    expect((await attempt("asyncio", client)).error).toMatchObject(missing)
    expect((await attempt("sync", client)).error).toMatchObject(missing)
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    expect(await statusOf("asyncioDetailed", client)).toBe(200)
    expect(await statusOf("syncDetailed", client)).toBe(200)
  })

  it("a key read is kept for the client's life (both forms alike); dispose reads the environment again", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient())
    expect(await statusOf("asyncioDetailed", client)).toBe(200)
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: emulator.url })
    expect(await statusOf("asyncioDetailed", client)).toBe(200)
    expect(await statusOf("syncDetailed", client)).toBe(200)
    await client.dispose()
    expect(await statusOf("asyncioDetailed", client)).toBe(401)
    expect(await statusOf("syncDetailed", client)).toBe(401)
  })

  it("where the environment cannot be read (Deno without --allow-env), InvalidInput says to pass token", async () => {
    setEnv({ BYTEKIT_API_KEY: emulator.api_key, BYTEKIT_BASE_URL: emulator.url })
    const client = track(new AuthenticatedClient({ baseUrl: emulator.url }))
    const env = Object.getOwnPropertyDescriptor(process, "env")!
    // Each form reads the environment before its first await: the guard is up only while it does.
    const guarded = <A>(run: () => A): A => {
      Object.defineProperty(process, "env", {
        configurable: true,
        get() {
          throw new Error("NotCapable: Requires env access to \"BYTEKIT_API_KEY\", run again with the --allow-env flag")
        }
      })
      try {
        return run()
      } finally {
        Object.defineProperty(process, "env", env)
      }
    }
    for (const form of forms) {
      const outcome = guarded(() => attempt(form, client))
      const { error } = await outcome
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "token" })
      expect(error.message).toContain("pass token to AuthenticatedClient")
      expect(error.message).toContain("--allow-env")
    }
  })
})

describe.sequential("a bad base URL shows the value and the likely fix", () => {
  it.each(forms)("%s: BYTEKIT_BASE_URL=localhost:PORT fails with InvalidInput, did you mean http://…", async (form) => {
    const hostPort = emulator.url.replace(/^http:\/\//, "")
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: hostPort })
    const error = (await attempt(form, track(new AuthenticatedClient()))).error
    expect(error).toMatchObject({
      _tag: "InvalidInput",
      field: "BYTEKIT_BASE_URL",
      message: `BYTEKIT_BASE_URL ${JSON.stringify(hostPort)} is not a URL: did you mean ${emulator.url}?`
    })
    expect(printed(error)).not.toContain(secret)
    // A Client without credentials reads BYTEKIT_BASE_URL too.
    expect((await attempt(form, track(new Client()))).error).toMatchObject({ _tag: "InvalidInput", field: "BYTEKIT_BASE_URL" })
  })

  it.each(forms)("%s: a baseUrl given that is not a URL names baseUrl, with the value and the fix", async (form) => {
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: undefined })
    const error = (await attempt(form, track(new AuthenticatedClient({ baseUrl: "api.bytekit.com" })))).error
    expect(error).toMatchObject({
      _tag: "InvalidInput",
      field: "baseUrl",
      message: `baseUrl "api.bytekit.com" is not a URL: did you mean https://api.bytekit.com?`
    })
  })

  it("BYTEKIT_BASE_URL set empty counts as not set: the default base URL, no error about it", async () => {
    setEnv({ BYTEKIT_API_KEY: undefined, BYTEKIT_BASE_URL: "" })
    // With the key missing too, the call fails on the key, not the base URL, and sends nothing.
    const { error } = await attempt("asyncio", track(new AuthenticatedClient()))
    expect(error).toMatchObject({ _tag: "InvalidInput", field: "BYTEKIT_API_KEY" })
  })
})

describe.sequential("a key from the environment never shows", () => {
  it("not in the errors of any form, nor in the client's inspect, String or JSON output", async () => {
    // The key pasted as the base URL too, where a hurried newcomer might put it.
    for (const baseUrl of [secret, "ftp://files.example.com", "localhost:4010"]) {
      setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: baseUrl })
      const client = track(new AuthenticatedClient())
      for (const form of forms) {
        const { error } = await attempt(form, client)
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "BYTEKIT_BASE_URL" })
        expect(printed(error)).not.toContain(secret)
        expect(printed(error)).not.toContain("EnvNeverShowMe")
      }
      expect(printed(client)).not.toContain(secret)
    }
  })

  it("after calls that used it (200 and 401), the client and its errors hold it out of sight", async () => {
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: emulator.url })
    const wrong = track(new AuthenticatedClient())
    const { error, value } = await attempt("asyncioDetailed", wrong)
    expect(error).toBeUndefined()
    expect(value.statusCode).toBe(401)
    expect(printed(value)).not.toContain(secret)
    expect(printed(wrong)).not.toContain(secret)
    // A call that fails in transport names the URL, never the key.
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: unreachable })
    const failing = track(new AuthenticatedClient({ maxRetries: 0 }))
    for (const form of forms) {
      const failed = await attempt(form, failing)
      expect(failed.error).toMatchObject({ _tag: "TransportError" })
      expect(printed(failed.error)).not.toContain(secret)
    }
    expect(printed(failing)).not.toContain(secret)
  })

  it("not in the plain-http warning, given once per client over an http base URL that is not loopback", async () => {
    setEnv({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: "http://192.0.2.1:9" })
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    try {
      const client = track(new AuthenticatedClient())
      // Aborted before it starts: the warning comes as the client is set up, and nothing is sent.
      const aborted = await getAccount.asyncio(client, { signal: AbortSignal.abort() }).then(() => undefined, (e: unknown) => e)
      expect(aborted).toBeDefined()
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toContain("http://192.0.2.1:9")
      expect(inspect(warn.mock.calls)).not.toContain(secret)
    } finally {
      warn.mockRestore()
    }
  })
})
