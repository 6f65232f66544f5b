/**
 * Property: every body, random or a mutation of a valid one, under any status, decodes to a value
 * or a tagged error, for every operation's model; nothing throws.
 */
import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toResponse } from "../src/adapters/Response.js"
import { interpret } from "../src/client/interpret.js"
import type { RawResponse } from "../src/client/send.js"
import { type OperationName, operations } from "../src/contract/operations.js"

const valid: Record<OperationName, unknown> = {
  createApiKey: { id: "ak_1", name: "n", key: "sk_test_x", created_at: "2026-01-01T00:00:00Z", prefix: "sk_test_x", environment: "test", reveal_available: true },
  getAccount: { id: "a", email: "e", name: "n", plan: { id: "p", slug: "s", name: "n" }, api_key: { id: "ak", prefix: "sk" }, created_at: "2026-01-01T00:00:00Z" },
  getApiKey: { id: "ak_1", name: "n", prefix: "p", environment: "live", created_at: "t", last_used_at: null, revoked_at: null, reveal_available: false },
  listApiKeys: { data: [{ id: "ak_1", name: "n", reveal_available: true }] },
  revealApiKey: { key: "sk_live_x" },
  revokeApiKey: undefined,
  updateApiKey: { id: "ak_1", name: "n", reveal_available: true }
}

/** A JSON value with one field somewhere replaced, removed or retyped. */
const mutate = (value: unknown): fc.Arbitrary<unknown> =>
  typeof value !== "object" || value === null
    ? fc.oneof(fc.jsonValue(), fc.constant(value))
    : fc.oneof(
      fc.constant(value),
      fc.jsonValue(),
      ...Object.keys(value).map((key) =>
        fc.oneof(
          mutate((value as Record<string, unknown>)[key]).map((v) => (Array.isArray(value) ? Object.assign([...value], { [key]: v }) : { ...value, [key]: v })),
          fc.constant(Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)))
        )
      )
    )

const encoder = new TextEncoder()
const statuses = fc.constantFrom(200, 201, 204, 302, 400, 401, 402, 403, 404, 409, 418, 422, 429, 500, 502, 503, 520)
const knownTags = new Set([
  "InvalidRequest", "Unauthorized", "QuotaExceeded", "Forbidden", "NotFound", "Conflict", "ValidationFailed",
  "RateLimited", "InternalServerError", "UnexpectedStatus", "MalformedResponse"
])

describe.each(Object.keys(operations) as Array<OperationName>)("%s", (name) => {
  const operation = operations[name]
  const bodies = fc.oneof(
    mutate(valid[name]).map((v) => (v === undefined ? new Uint8Array() : encoder.encode(JSON.stringify(v)))),
    fc.jsonValue().map((v) => encoder.encode(JSON.stringify(v))),
    fc.string().map((s) => encoder.encode(s)),
    fc.uint8Array({ maxLength: 64 })
  )

  it("decodes any body under any status to a value or a tagged error", () => {
    fc.assert(
      fc.property(statuses, bodies, fc.boolean(), (status, body, raise) => {
        const raw: RawResponse = { status, headers: {} as RawResponse["headers"], body, attempts: 1 }
        const result = interpret(operation, raw)
        if (Either.isLeft(result)) {
          expect(knownTags.has(result.left._tag)).toBe(true)
          expect(result.left.message.length).toBeLessThanOrEqual(200)
        }
        const response = toResponse(operation, raw, raise)
        if (Either.isLeft(response)) expect(knownTags.has(response.left._tag)).toBe(true)
        else expect(response.right.statusCode).toBe(status)
      }),
      { numRuns: 500 }
    )
  })
})
