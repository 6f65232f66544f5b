/**
 * The seven operations as the emulator answers them, on an authenticated caller. Success bodies
 * are plain JSON in the contract's shapes (fields in the models' order); failures are `Failure`s
 * the HTTP layer puts in the envelope. No Effect: the emulator runs whichever major the user has.
 */
import { checkName as checkNameRule, nameMessage, Problem } from "../core/checks.js"
import type { OperationName } from "../core/operations.js"
import { type AccountRecord, type KeyRecord, plan, type PlanRecord, type Store } from "./store.js"

/** An error answer: status, code and message, as the envelope carries them. */
export class Failure {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {}
}

/** Who is calling: an API key, or a Clerk session user; both resolved to their account. */
export type Caller =
  | { readonly kind: "apiKey"; readonly key: KeyRecord; readonly account: AccountRecord }
  | { readonly kind: "session"; readonly userId: string; readonly account: AccountRecord }

export interface Input {
  readonly caller: Caller
  readonly id: string
  readonly params: { readonly include_revoked?: boolean | undefined }
  readonly payload: { readonly name?: string | undefined } | undefined
}

/** A success: the status and the JSON body (undefined for 204). */
export interface Reply {
  readonly status: number
  readonly body: unknown
}

export type Handler = (input: Input) => Reply | Failure

const defaultName = "Untitled key"

/** Names are 1 to 100 characters after trimming: the core's rule, the SDK's own check. */
const checkName = (name: string): string | Failure => {
  const checked = checkNameRule(name)
  return checked instanceof Problem ? new Failure(400, "invalid_request", nameMessage, { field: "name" }) : checked
}

/** A key's metadata, as `ApiKeyResponse` (never the plaintext). */
const toResponse = (key: KeyRecord) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  environment: key.environment,
  created_at: key.created_at,
  last_used_at: key.last_used_at,
  revoked_at: key.revoked_at,
  reveal_available: key.sealed !== null && key.revoked_at === null
})

/** The plan as `Plan`: its fields in the model's order. */
const planOf = (p: PlanRecord) => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  included_screenshots: p.included_screenshots,
  has_overage: p.has_overage,
  overage_price_cents: p.overage_price_cents,
  max_concurrency: p.max_concurrency,
  rate_limit_per_sec: p.rate_limit_per_sec,
  max_bulk_size: p.max_bulk_size,
  max_monitors: p.max_monitors,
  retention_days: p.retention_days
})

const notFound = (id: string) => new Failure(404, "not_found", `No API key with id ${JSON.stringify(id.slice(0, 64))} on this account`)

/** The handlers over a store; `accountPlan` is the plan getAccount reports (its rate limit is the one enforced). */
export const makeHandlers = (store: Store, accountPlan: PlanRecord = plan): Record<OperationName, Handler> => {
  /** The caller's key by id; other accounts' keys are as absent as unknown ones. */
  const ownKey = ({ caller, id }: Input): KeyRecord | Failure => {
    const key = store.key(id)
    return key === undefined || key.account_id !== caller.account.id ? notFound(id) : key
  }

  return {
    createApiKey: ({ caller, payload }) => {
      const name = payload?.name === undefined ? defaultName : checkName(payload.name)
      if (name instanceof Failure) return name
      const created = store.createKey(caller.account.id, name)
      if (created === "limit_reached") {
        return new Failure(409, "api_key_limit_reached", "This account already has 50 active API keys. Revoke one first.")
      }
      const { plaintext, record } = created
      return {
        status: 201,
        body: {
          id: record.id,
          name: record.name,
          key: plaintext,
          prefix: record.prefix,
          environment: record.environment,
          created_at: record.created_at,
          reveal_available: true
        }
      }
    },

    getAccount: ({ caller }) => {
      const { account } = caller
      if (caller.kind === "session") {
        return {
          status: 200,
          body: {
            id: account.id,
            name: account.name,
            email: account.email,
            plan: planOf(accountPlan),
            owner_user_id: account.owner_user_id
          }
        }
      }
      const { key } = caller
      return {
        status: 200,
        body: {
          id: account.id,
          email: account.email,
          name: account.name,
          plan: planOf(accountPlan),
          api_key: {
            id: key.id,
            prefix: key.prefix,
            label: key.name,
            environment: key.environment,
            last_used_at: key.last_used_at,
            created_at: key.created_at
          },
          subscription: {
            status: "active",
            plan: { slug: plan.slug, name: plan.name, included_bytes: 1_073_741_824, included_credits: 5000 }
          },
          auto_topup: { enabled: false, threshold_bytes: 0, amount_bytes: 0, monthly_cap_cents: 0 },
          cancelled_at: null,
          grace_period_expires_at: null,
          created_at: account.created_at
        }
      }
    },

    getApiKey: (input) => {
      const key = ownKey(input)
      return key instanceof Failure ? key : { status: 200, body: toResponse(key) }
    },

    listApiKeys: ({ caller, params }) => ({
      status: 200,
      body: { data: store.list(caller.account.id, params.include_revoked === true).map(toResponse) }
    }),

    revealApiKey: ({ caller, id }) => {
      const key = store.key(id)
      if (key === undefined) return notFound(id)
      if (key.account_id !== caller.account.id) {
        return new Failure(403, "forbidden", "You are not a member of the account that owns this key")
      }
      if (key.revoked_at !== null) return new Failure(409, "api_key_revoked", "This API key has been revoked")
      if (key.sealed === null) {
        return new Failure(409, "reveal_unavailable", "This API key was created before reveal existed and cannot be revealed")
      }
      return { status: 200, body: { key: store.reveal(key) } }
    },

    revokeApiKey: (input) => {
      const key = ownKey(input)
      if (key instanceof Failure) return key
      store.revoke(key)
      return { status: 204, body: undefined }
    },

    updateApiKey: (input) => {
      const key = ownKey(input)
      if (key instanceof Failure) return key
      if (key.revoked_at !== null) return new Failure(409, "api_key_revoked", "A revoked API key cannot be renamed")
      const name = checkName(input.payload?.name ?? "")
      if (name instanceof Failure) return name
      store.rename(key, name)
      return { status: 200, body: toResponse(key) }
    }
  }
}
