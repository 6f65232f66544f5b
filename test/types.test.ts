/**
 * The call styles' types, checked by `tsc` (npm run typecheck): each form returns what the Python
 * SDK's reference says, with `ErrorResponse` for operations that document error statuses.
 */
import type * as Effect from "effect/Effect"
import { describe, expectTypeOf, it } from "vitest"
import type { OperationName } from "#line/core/operations.js"
import * as createApiKey from "bytekit-effect/api/account/createApiKey"
import * as getAccount from "bytekit-effect/api/account/getAccount"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
import * as revealApiKey from "bytekit-effect/api/account/revealApiKey"
import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"
import type {
  Account,
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  ApiKeyRevealResponse,
  BytekitClient,
  BytekitError,
  ErrorResponse,
  GetAccountResponse200,
  ListApiKeysResponse200,
  Response
} from "bytekit-effect"

/** The four forms of an operation whose parsed value is `T`. */
type FormsOf<M> = M extends {
  asyncio: (...args: any) => Promise<infer A>
  asyncioDetailed: (...args: any) => Promise<infer D>
  sync: (...args: any) => infer S
  syncDetailed: (...args: any) => infer SD
} ? { asyncio: A; asyncioDetailed: D; sync: S; syncDetailed: SD }
  : never

type Expect<T> = { asyncio: T | undefined; asyncioDetailed: Response<T>; sync: T | undefined; syncDetailed: Response<T> }

describe("call style types", () => {
  it("operations documenting error statuses return T | ErrorResponse | undefined and Response<T | ErrorResponse>", () => {
    expectTypeOf<FormsOf<typeof createApiKey>>().toEqualTypeOf<Expect<ApiKeyCreatedResponse | ErrorResponse>>()
    expectTypeOf<FormsOf<typeof getApiKey>>().toEqualTypeOf<Expect<ApiKeyResponse | ErrorResponse>>()
    expectTypeOf<FormsOf<typeof revealApiKey>>().toEqualTypeOf<Expect<ApiKeyRevealResponse | ErrorResponse>>()
    expectTypeOf<FormsOf<typeof updateApiKey>>().toEqualTypeOf<Expect<ApiKeyResponse | ErrorResponse>>()
    // 204 has no body: parsed is undefined on success, as the Python SDK's None.
    expectTypeOf<FormsOf<typeof revokeApiKey>>().toEqualTypeOf<Expect<ErrorResponse | undefined>>()
  })

  it("operations documenting no error status return T | undefined and Response<T>, as the Python SDK's", () => {
    expectTypeOf<FormsOf<typeof getAccount>>().toEqualTypeOf<Expect<GetAccountResponse200>>()
    expectTypeOf<FormsOf<typeof listApiKeys>>().toEqualTypeOf<Expect<ListApiKeysResponse200>>()
  })

  it("keeps the Python SDK's argument order", () => {
    expectTypeOf(getApiKey.sync).parameter(0).toEqualTypeOf<string>()
    expectTypeOf(listApiKeys.asyncio).parameter(1).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(updateApiKey.syncDetailed).parameter(2).toMatchTypeOf<{ readonly name: string }>()
  })

  it("the Effect API fails with BytekitError and needs BytekitClient", () => {
    expectTypeOf<ReturnType<typeof Account.getApiKey>>().toEqualTypeOf<Effect.Effect<ApiKeyResponse, BytekitError, BytekitClient>>()
    expectTypeOf<ReturnType<typeof Account.revokeApiKey>>().toEqualTypeOf<Effect.Effect<void, BytekitError, BytekitClient>>()
  })

  it("Account has a function for every operation of the core's table (the compiler asks for a new one)", () => {
    expectTypeOf<Exclude<OperationName, keyof typeof Account>>().toEqualTypeOf<never>()
  })
})
