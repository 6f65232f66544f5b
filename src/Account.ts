/**
 * The seven Account operations as Effects. Each sends through the `BytekitClient` in context,
 * decodes its success with the contract's schema and fails with a tagged error.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { type OperationName, operations, type SuccessOf } from "./contract/operations.js"
import type { BytekitError } from "./contract/errors.js"
import type {
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  ApiKeyRevealResponse,
  GetAccountResponse200,
  ListApiKeysResponse200
} from "./contract/models.js"
import type { BytekitClient } from "./internal/client/BytekitClient.js"
import { runCall } from "./internal/client/runCall.js"
import { interpret } from "./internal/client/interpret.js"
import type { Call } from "./internal/client/send.js"

/**
 * Sends a call and reads its success or tagged error, inside the operation's span. The success type
 * is the operation's model, read from the table (interpret decodes with that very schema).
 */
const run = <K extends OperationName>(
  call: Call & { readonly operation: { readonly name: K } }
): Effect.Effect<SuccessOf<K>, BytekitError, BytekitClient> =>
  runCall(call, (response) => interpret(call.operation, response)) as Effect.Effect<SuccessOf<K>, BytekitError, BytekitClient>

/**
 * `POST /v1/account/api-keys`: creates a key and returns its plaintext, once.
 * Fails with `Conflict` (`api_key_limit_reached`) when the account has 50 active keys.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Account } from "bytekit-effect"
 * const program = Effect.gen(function*() {
 *   const created = yield* Account.createApiKey({ name: "CI" })
 *   return Redacted.value(created.key) // "sk_test_..."
 * })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const createApiKey = (
  body?: { readonly name?: string | undefined }
): Effect.Effect<ApiKeyCreatedResponse, BytekitError, BytekitClient> =>
  run({ operation: operations.createApiKey, payload: body ?? {} })

/**
 * `GET /v1/account`: the full `AccountDetails` for an API key, `SessionAccount` for a Clerk session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * const email = Account.getAccount().pipe(Effect.map((account) => account.email))
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getAccount = (): Effect.Effect<GetAccountResponse200, BytekitError, BytekitClient> =>
  run({ operation: operations.getAccount })

/**
 * `GET /v1/account/api-keys/{id}`: one key's metadata. Fails with `NotFound` for an unknown id.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const key = Account.getApiKey("ak_123")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getApiKey = (id: string): Effect.Effect<ApiKeyResponse, BytekitError, BytekitClient> =>
  run({ operation: operations.getApiKey, id })

/**
 * `GET /v1/account/api-keys`: the account's keys, newest first; revoked ones only with
 * `include_revoked: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account } from "bytekit-effect"
 * const names = Account.listApiKeys({ include_revoked: true }).pipe(Effect.map((list) => list.data.map((k) => k.name)))
 * ```
 * @since 0.1.0
 * @category operations
 */
export const listApiKeys = (
  params?: { readonly include_revoked?: boolean | undefined }
): Effect.Effect<ListApiKeysResponse200, BytekitError, BytekitClient> =>
  run({
    operation: operations.listApiKeys,
    ...(params?.include_revoked === undefined ? {} : { urlParams: { include_revoked: String(params.include_revoked) } })
  })

/**
 * `POST /v1/account/api-keys/{id}/reveal`: the plaintext key, as `Redacted`. Needs a Clerk
 * session (`sessionToken`); fails with `Forbidden` for a non-member, `Conflict`
 * (`api_key_revoked` or `reveal_unavailable`), `RateLimited` past 10 reveals a minute.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Account } from "bytekit-effect"
 * const plaintext = Account.revealApiKey("ak_123").pipe(Effect.map((r) => Redacted.value(r.key)))
 * ```
 * @since 0.1.0
 * @category operations
 */
export const revealApiKey = (id: string): Effect.Effect<ApiKeyRevealResponse, BytekitError, BytekitClient> =>
  run({ operation: operations.revealApiKey, id })

/**
 * `DELETE /v1/account/api-keys/{id}`: revokes a key. Idempotent: revoking twice succeeds.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const revoked = Account.revokeApiKey("ak_123") // Effect<void, ...>
 * ```
 * @since 0.1.0
 * @category operations
 */
export const revokeApiKey = (id: string): Effect.Effect<void, BytekitError, BytekitClient> =>
  run({ operation: operations.revokeApiKey, id })

/**
 * `PATCH /v1/account/api-keys/{id}`: renames a key. Fails with `Conflict` (`api_key_revoked`)
 * for a revoked key.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const renamed = Account.updateApiKey("ak_123", { name: "Production" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const updateApiKey = (
  id: string,
  body: { readonly name: string }
): Effect.Effect<ApiKeyResponse, BytekitError, BytekitClient> =>
  run({ operation: operations.updateApiKey, id, payload: body })

export { withResponse } from "./internal/client/withResponse.js"
