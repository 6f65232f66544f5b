/**
 * The newcomer's configuration mistakes: a missing API key names the variable to set and the fix
 * (not a redacted config error inside a FiberFailure); a bad base URL shows the value and the
 * likely fix. Neither ever shows a key. As a script run by Node prints it, and as a typed error.
 */
import { Effect, Layer } from "effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as getAccount from "#line/api/account/getAccount.js"
import { Account, AuthenticatedClient, BytekitClient } from "#line/index.js"
import { FetchHttpClient } from "#line-test/http.js"
import { lineRoot, withConfig } from "#line-test/line.js"

const secret = "sk_test_NeverShowMe0123456789"
const script = fileURLToPath(new URL("fixtures/config-errors/layer-config.ts", import.meta.url))

/** Runs the newcomer's script (getAccount over layerConfig) with only these BYTEKIT_* variables set. */
const runScript = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("BYTEKIT_")))
    execFile(process.execPath, ["--import", "tsx", script], { cwd: lineRoot, env: { ...base, ...env } }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stderr })
    })
  })

/** The failure of getAccount over layerConfig with this configuration. */
const layerConfigFailure = (config: Record<string, string>) =>
  Effect.runPromise(
    Account.getAccount().pipe(
      Effect.provide(BytekitClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))),
      withConfig(config),
      Effect.flip
    )
  )

/** The failure of getAccount over BytekitClient.layer with this base URL. */
const layerFailure = (baseUrl: string) =>
  Effect.runPromise(
    Account.getAccount().pipe(
      Effect.provide(BytekitClient.layer({ baseUrl, apiKey: secret }).pipe(Layer.provide(FetchHttpClient.layer))),
      Effect.flip
    )
  )

describe("a missing API key names the variable to set and the fix", () => {
  it("a script run by Node prints InvalidInput naming BYTEKIT_API_KEY, not a redacted config error", async () => {
    const { code, stderr } = await runScript({})
    expect(code).not.toBe(0)
    expect(stderr).toContain("InvalidInput: BYTEKIT_API_KEY is not set: export it, or pass apiKey to BytekitClient.layer")
    expect(stderr).not.toContain("<redacted>")
    expect(stderr).not.toContain("Missing data")
  })

  it("layerConfig fails with InvalidInput, field BYTEKIT_API_KEY, when the key is not set, or set empty", async () => {
    expect(await layerConfigFailure({})).toMatchObject({
      _tag: "InvalidInput",
      field: "BYTEKIT_API_KEY",
      message: "BYTEKIT_API_KEY is not set: export it, or pass apiKey to BytekitClient.layer"
    })
    expect(await layerConfigFailure({ BYTEKIT_API_KEY: "" })).toMatchObject({
      _tag: "InvalidInput",
      field: "BYTEKIT_API_KEY",
      message: "BYTEKIT_API_KEY is not set: export it, or pass apiKey to BytekitClient.layer"
    })
  })
})

describe("a bad base URL shows the value and the likely fix, never a secret", () => {
  it("a script run by Node with BYTEKIT_BASE_URL=api.bytekit.com is told to add https://", async () => {
    const { code, stderr } = await runScript({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: "api.bytekit.com" })
    expect(code).not.toBe(0)
    expect(stderr).toContain(`InvalidInput: BYTEKIT_BASE_URL "api.bytekit.com" is not a URL: did you mean https://api.bytekit.com?`)
    expect(stderr).not.toContain(secret)
  })

  it("layerConfig names BYTEKIT_BASE_URL; layer and the plain clients name baseUrl", async () => {
    expect(await layerConfigFailure({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: "localhost:4010" })).toMatchObject({
      _tag: "InvalidInput",
      field: "BYTEKIT_BASE_URL",
      message: `BYTEKIT_BASE_URL "localhost:4010" is not a URL: did you mean http://localhost:4010?`
    })
    expect(await layerFailure("api.bytekit.com")).toMatchObject({
      _tag: "InvalidInput",
      field: "baseUrl",
      message: `baseUrl "api.bytekit.com" is not a URL: did you mean https://api.bytekit.com?`
    })
    const client = new AuthenticatedClient({ baseUrl: "127.0.0.1:4010", token: secret })
    const error = await getAccount.asyncio(client).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({ _tag: "InvalidInput", field: "baseUrl", message: `baseUrl "127.0.0.1:4010" is not a URL: did you mean http://127.0.0.1:4010?` })
    await client.dispose()
  })

  it("another scheme is shown without its path, query or credentials", async () => {
    expect((await layerFailure("ftp://files.example.com/x?token=abc")).message).toBe(
      `baseUrl must be http or https, not "ftp://files.example.com": give a URL such as https://api.bytekit.com`
    )
    const withCredentials = await layerFailure("https://user:hunter2@api.bytekit.com")
    expect(withCredentials.message).toContain("must not carry credentials")
    expect(withCredentials.message).not.toContain("hunter2")
  })

  it("a key or token given as the base URL is not shown", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl"
    for (const value of [secret, "sk_live_AbCdEf0123456789", jwt, "Bearer opaque.token"]) {
      const error = await layerFailure(value)
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "baseUrl" })
      expect(error.message).toContain("is not a URL (the value is not shown")
      expect(error.message).not.toContain(value)
      const config = await layerConfigFailure({ BYTEKIT_API_KEY: secret, BYTEKIT_BASE_URL: value })
      expect(config.message).not.toContain(value)
    }
  })
})
