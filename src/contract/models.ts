/**
 * The Account resource's models, as Schema classes named after the Python SDK's.
 *
 * Fields Bytekit publishes are required and strict; fields the contract only assumes are optional
 * and lenient: a value of another type, or null, decodes to undefined instead of failing the whole
 * body, so a real server that differs still decodes (and a just-created key is never lost).
 * Unknown fields are ignored, never an error.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { OperationName } from "../core/operations.js"
import { BooleanFromString, type Codec } from "#line/internal/effect.js"
import { ApiKeyName, assumed, Details, Environment, errorBodyOf, oneOf, RedactedString, Timestamp } from "#line/contract/schemas.js"

export { ApiKeyName }

const NullableTimestamp = Schema.NullOr(Timestamp)

/**
 * The body of `createApiKey`. `name` defaults to `"Untitled key"` on the server.
 *
 * @example
 * ```ts
 * import { CreateApiKeyBody } from "bytekit-effect"
 * const body = new CreateApiKeyBody({ name: "CI" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class CreateApiKeyBody extends Schema.Class<CreateApiKeyBody>("CreateApiKeyBody")({
  name: Schema.optional(ApiKeyName)
}) {}

/**
 * The body of `updateApiKey` (rename).
 *
 * @example
 * ```ts
 * import { UpdateApiKeyBody } from "bytekit-effect"
 * const body = new UpdateApiKeyBody({ name: "Production" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class UpdateApiKeyBody extends Schema.Class<UpdateApiKeyBody>("UpdateApiKeyBody")({
  name: ApiKeyName
}) {}

/**
 * An API key's metadata. The plaintext key is never part of it.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const program = Account.getApiKey("ak_123") // Effect<ApiKeyResponse, ...>
 * ```
 * @since 0.1.0
 * @category models
 */
export class ApiKeyResponse extends Schema.Class<ApiKeyResponse>("ApiKeyResponse")({
  id: Schema.String,
  name: Schema.String,
  prefix: assumed(Schema.String),
  environment: assumed(Environment),
  created_at: assumed(Timestamp),
  last_used_at: assumed(NullableTimestamp),
  revoked_at: assumed(NullableTimestamp),
  reveal_available: Schema.Boolean
}) {}

/**
 * A newly created key. `key`, the plaintext, is returned exactly once and decodes to `Redacted`,
 * so it never shows in logs: read it with `Redacted.value(created.key)`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Account } from "bytekit-effect"
 * const program = Account.createApiKey({ name: "CI" }).pipe(
 *   Effect.map((created) => Redacted.value(created.key))
 * )
 * ```
 * @since 0.1.0
 * @category models
 */
export class ApiKeyCreatedResponse extends Schema.Class<ApiKeyCreatedResponse>("ApiKeyCreatedResponse")({
  id: Schema.String,
  name: Schema.String,
  key: RedactedString,
  prefix: assumed(Schema.String),
  environment: assumed(Environment),
  created_at: Timestamp,
  reveal_available: assumed(Schema.Boolean)
}) {}

/**
 * The account's keys, newest first.
 *
 * @example
 * ```ts
 * import { Account } from "bytekit-effect"
 * const program = Account.listApiKeys({ include_revoked: true })
 * ```
 * @since 0.1.0
 * @category models
 */
export class ListApiKeysResponse200 extends Schema.Class<ListApiKeysResponse200>("ListApiKeysResponse200")({
  data: Schema.Array(ApiKeyResponse)
}) {}

/**
 * A revealed key: the plaintext, as `Redacted`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Account } from "bytekit-effect"
 * const plaintext = Account.revealApiKey("ak_123").pipe(Effect.map((r) => Redacted.value(r.key)))
 * ```
 * @since 0.1.0
 * @category models
 */
export class ApiKeyRevealResponse extends Schema.Class<ApiKeyRevealResponse>("ApiKeyRevealResponse")({
  key: RedactedString
}) {}

/**
 * The account's plan.
 *
 * @example
 * ```ts
 * import { Plan } from "bytekit-effect"
 * const plan = new Plan({ id: "plan_free", slug: "free", name: "Free" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class Plan extends Schema.Class<Plan>("Plan")({
  id: Schema.optional(Schema.String),
  slug: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  included_screenshots: Schema.optional(Schema.Number),
  has_overage: Schema.optional(Schema.Boolean),
  overage_price_cents: Schema.optional(Schema.Number),
  max_concurrency: Schema.optional(Schema.Number),
  rate_limit_per_sec: Schema.optional(Schema.Number),
  max_bulk_size: Schema.optional(Schema.Number),
  max_monitors: Schema.optional(Schema.Number),
  retention_days: Schema.optional(Schema.Number)
}) {}

/**
 * The key that authenticated a `getAccount` call.
 *
 * @example
 * ```ts
 * import { AccountApiKey } from "bytekit-effect"
 * const key = new AccountApiKey({ id: "ak_1", prefix: "sk_test_AbCd" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class AccountApiKey extends Schema.Class<AccountApiKey>("AccountApiKey")({
  id: Schema.String,
  prefix: Schema.String,
  label: Schema.optional(Schema.String),
  environment: Schema.optional(Schema.String),
  last_used_at: Schema.optional(NullableTimestamp),
  created_at: Schema.optional(Timestamp)
}) {}

/**
 * The plan of a subscription.
 *
 * @example
 * ```ts
 * import { SubscriptionPlan } from "bytekit-effect"
 * const plan = new SubscriptionPlan({ slug: "pro" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class SubscriptionPlan extends Schema.Class<SubscriptionPlan>("SubscriptionPlan")({
  slug: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  included_bytes: Schema.optional(Schema.Number),
  included_credits: Schema.optional(Schema.Number),
  topup_price_per_mb_cents: Schema.optional(Schema.Number),
  credit_topup_price_per_k_cents: Schema.optional(Schema.Number)
}) {}

/**
 * The account's subscription.
 *
 * @example
 * ```ts
 * import { Subscription } from "bytekit-effect"
 * const subscription = new Subscription({ status: "active" })
 * ```
 * @since 0.1.0
 * @category models
 */
export class Subscription extends Schema.Class<Subscription>("Subscription")({
  status: Schema.optional(Schema.String),
  plan: Schema.optional(SubscriptionPlan)
}) {}

/**
 * Automatic top-up settings.
 *
 * @example
 * ```ts
 * import { AutoTopup } from "bytekit-effect"
 * const topup = new AutoTopup({ enabled: false })
 * ```
 * @since 0.1.0
 * @category models
 */
export class AutoTopup extends Schema.Class<AutoTopup>("AutoTopup")({
  enabled: Schema.optional(Schema.Boolean),
  threshold_bytes: Schema.optional(Schema.Number),
  amount_bytes: Schema.optional(Schema.Number),
  monthly_cap_cents: Schema.optional(Schema.Number)
}) {}

/**
 * The full account, as `getAccount` answers an API key.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, AccountDetails } from "bytekit-effect"
 * const keyPrefix = Account.getAccount().pipe(
 *   Effect.map((a) => (a instanceof AccountDetails ? a.api_key.prefix : undefined))
 * )
 * ```
 * @since 0.1.0
 * @category models
 */
export class AccountDetails extends Schema.Class<AccountDetails>("Account")({
  id: Schema.String,
  email: Schema.String,
  name: Schema.String,
  plan: Plan,
  api_key: AccountApiKey,
  subscription: Schema.optional(Schema.NullOr(Subscription)),
  auto_topup: Schema.optional(Schema.NullOr(AutoTopup)),
  cancelled_at: Schema.optional(NullableTimestamp),
  grace_period_expires_at: Schema.optional(NullableTimestamp),
  created_at: Timestamp
}) {}

/**
 * The minimal account, as `getAccount` answers a Clerk session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Account, SessionAccount } from "bytekit-effect"
 * const owner = Account.getAccount().pipe(
 *   Effect.map((a) => (a instanceof SessionAccount ? a.owner_user_id : undefined))
 * )
 * ```
 * @since 0.1.0
 * @category models
 */
export class SessionAccount extends Schema.Class<SessionAccount>("SessionAccount")({
  // The field list is published, the types assumed: `id` and `owner_user_id` stay strict (they
  // tell this shape from the full one); the rest decode leniently.
  id: Schema.String,
  name: assumed(Schema.String),
  email: assumed(Schema.String),
  plan: assumed(Plan),
  owner_user_id: Schema.String
}) {}

/**
 * What `getAccount` returns: the full account for an API key, the session shape for a Clerk session.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { GetAccountResponse200 } from "bytekit-effect"
 * const decode = Schema.decodeUnknownSync(GetAccountResponse200)
 * ```
 * @since 0.1.0
 * @category models
 */
export const GetAccountResponse200 = oneOf(AccountDetails, SessionAccount, "GetAccountResponse200")

/**
 * @since 0.1.0
 * @category models
 */
export type GetAccountResponse200 = typeof GetAccountResponse200.Type

/**
 * The error envelope every error status carries: `{"error": {"code", "message", "details"}}`.
 * Named `ErrorResponse` so it does not shadow the global `Error` (the Python SDK calls it `Error`).
 *
 * @example
 * ```ts
 * import { ErrorResponse } from "bytekit-effect"
 * const body = new ErrorResponse({ error: { code: "not_found", message: "No such key" } })
 * ```
 * @since 0.1.0
 * @category models
 */
export class ErrorResponse extends Schema.Class<ErrorResponse>("Error")({
  error: Schema.Struct({
    code: Schema.String,
    message: Schema.String,
    details: Schema.optional(Details)
  })
}) {}

/**
 * Decodes either error body form to `ErrorResponse`, so both read the same to callers.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ErrorBody } from "bytekit-effect"
 * Schema.decodeUnknownSync(ErrorBody)({ error: "validation_error", message: "bad" }).error.code
 * // "validation_error"
 * ```
 * @since 0.1.0
 * @category models
 */
export const ErrorBody = errorBodyOf(ErrorResponse)

/** `listApiKeys`'s query. */
const ListParams = Schema.Struct({ include_revoked: Schema.optional(BooleanFromString) })

/**
 * Each operation's schemas: its body, query and success (revoke has none); the compiler asks for
 * one entry per operation of the core's table, and contract/operations.ts binds them to its rows.
 *
 * @since 0.1.0
 * @category internals
 */
export const operationModels = {
  createApiKey: { payload: CreateApiKeyBody, success: ApiKeyCreatedResponse },
  getAccount: { success: GetAccountResponse200 },
  getApiKey: { success: ApiKeyResponse },
  listApiKeys: { urlParams: ListParams, success: ListApiKeysResponse200 },
  revealApiKey: { success: ApiKeyRevealResponse },
  revokeApiKey: { success: undefined },
  updateApiKey: { payload: UpdateApiKeyBody, success: ApiKeyResponse }
} satisfies {
  readonly [K in OperationName]: {
    readonly success: Codec<any, any> | undefined
    readonly payload?: Codec<any, any>
    readonly urlParams?: Codec<any, any>
  }
}
