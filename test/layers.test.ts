/** The layers users wire: the in-memory emulator, the scoped emulator, layerConfig, bad configuration. */
import { Effect, Layer } from "effect"
import { describe, expect } from "vitest"
import { Account, AccountDetails, BytekitClient, type BytekitError, withCallOptions } from "#line/index.js"
import { FetchHttpClient } from "#line-test/http.js"
import { BytekitEmulator, layer, layerClient, layerInMemory } from "#line/emulator/index.js"
import { result, withConfig } from "#line-test/line.js"
import { it } from "#line-test/support.js"

describe("emulator layers", () => {
  it.live("layerInMemory + layerClient: the whole API without sockets", () =>
    Effect.gen(function*() {
      const created = yield* Account.createApiKey({ name: "in memory" })
      const listed = yield* Account.listApiKeys()
      expect(listed.data.map((k) => k.id)).toContain(created.id)
      const emulator = yield* BytekitEmulator
      expect(emulator.url).toBe("http://emulator.bytekit.local")
      const session = layerClient({ sessionToken: () => emulator.mintSessionToken() })
      const revealed = yield* Account.revealApiKey(created.id).pipe(Effect.provide(session))
      expect(revealed.key).toBeDefined()
    }).pipe(Effect.provide(layerClient().pipe(Layer.provideMerge(layerInMemory())))))

  it.live("layer: a scoped emulator on a real socket, stopped with the scope", () =>
    Effect.gen(function*() {
      const url = yield* Effect.scoped(
        Effect.gen(function*() {
          const emulator = yield* BytekitEmulator
          const account = yield* Account.getAccount().pipe(Effect.provide(layerClient()))
          expect(account).toBeInstanceOf(AccountDetails)
          return emulator.url
        }).pipe(Effect.provide(Layer.merge(layer(), FetchHttpClient.layer)))
      )
      const refused = yield* result(Effect.promise(() => fetch(`${url}/v1/account`).then(() => "answered", () => "refused")))
      expect(refused).toMatchObject({ success: "refused" })
    }))
})

describe("BytekitClient.layerConfig", () => {
  it.live("reads BYTEKIT_API_KEY and BYTEKIT_BASE_URL", () =>
    Effect.gen(function*() {
      const emulator = yield* BytekitEmulator
      const env = { BYTEKIT_API_KEY: emulator.apiKey, BYTEKIT_BASE_URL: emulator.url }
      const account = yield* Account.getAccount().pipe(
        Effect.provide(BytekitClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))),
        withConfig(env)
      )
      expect(account.id).toBe("acct_demo")
    }).pipe(Effect.scoped, Effect.provide(layer())))

  it.live("fails with a ConfigError when BYTEKIT_API_KEY is missing", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Account.getAccount().pipe(
          Effect.provide(BytekitClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))),
          withConfig({})
        )
      )
      expect(error._tag).not.toBe("Unauthorized")
      expect(String(error)).toContain("BYTEKIT_API_KEY")
    }))
})

describe("bad configuration is a typed error before anything is sent", () => {
  it.live("a base URL that is not http(s), and one that is not a URL", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["ftp://example.com", "javascript:alert(1)", "not a url", "http://user:pass@example.com"]) {
        const error = yield* Effect.flip(Account.getAccount().pipe(Effect.provide(BytekitClient.layer({ baseUrl }).pipe(Layer.provide(FetchHttpClient.layer)))))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "baseUrl" })
      }
    }))

  it.live("bad timeouts and headers, on the client or per call", () =>
    Effect.gen(function*() {
      const layerWith = (options: object) =>
        BytekitClient.layer({ baseUrl: "http://127.0.0.1:9", apiKey: "k", ...options }).pipe(Layer.provide(FetchHttpClient.layer))
      expect(yield* Effect.flip(Effect.provide(Account.getAccount(), layerWith({ timeout: "soon" })))).toMatchObject({
        _tag: "InvalidInput",
        field: "timeout"
      })
      expect(yield* Effect.flip(Effect.provide(Account.getAccount(), layerWith({ headers: { "x-a": "1\r\nx-b: 2" } })))).toMatchObject({
        _tag: "InvalidInput",
        field: "headers"
      })
      const perCall = [
        withCallOptions({ timeout: "soon" as never }),
        withCallOptions({ headers: { "x-a": "\n" } })
      ]
      for (const override of perCall) {
        expect(yield* Effect.flip(Effect.provide(override(Account.getAccount()), layerWith({})))).toMatchObject({ _tag: "InvalidInput" })
      }
    }))

  it.live("bad ids and names", () =>
    Effect.gen(function*() {
      const live = BytekitClient.layer({ baseUrl: "http://127.0.0.1:9", apiKey: "k" }).pipe(Layer.provide(FetchHttpClient.layer))
      const cases: Array<Effect.Effect<unknown, BytekitError, BytekitClient>> = [
        Account.getApiKey(""),
        Account.getApiKey(".."),
        Account.getApiKey(42 as unknown as string),
        Account.createApiKey({ name: "" }),
        Account.createApiKey({ name: "x".repeat(101) }),
        Account.updateApiKey("ak_1", { name: 7 as unknown as string }),
        Account.createApiKey({ name: "ok", extra: 1 } as { name: string })
      ]
      for (const op of cases) {
        const error = yield* Effect.flip(Effect.provide(op, live))
        expect(error._tag).toBe("InvalidInput")
      }
    }))
})
