/**
 * Properties: every body, random or a mutation of a valid one, under any status, decodes to a value
 * or a tagged error, for every operation's model; nothing throws, and no error shows a key-shaped
 * value. Fields the contract only assumes take any JSON value without failing the decode.
 */
import { Redacted } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toResponse } from "#line/internal/adapters/Response.js"
import { interpret } from "#line/internal/client/interpret.js"
import type { RawResponse } from "#line/internal/client/send.js"
import { type OperationName, operations } from "#line/contract/operations.js"

const plaintext = "sk_test_" + "aB3".repeat(13) + "z"

const valid: Record<OperationName, unknown> = {
  createApiKey: { id: "ak_1", name: "n", key: plaintext, created_at: "2026-01-01T00:00:00Z", prefix: "sk_test_x", environment: "test", reveal_available: true },
  getAccount: { id: "a", email: "e", name: "n", plan: { id: "p", slug: "s", name: "n" }, api_key: { id: "ak", prefix: "sk" }, created_at: "2026-01-01T00:00:00Z" },
  getApiKey: { id: "ak_1", name: "n", prefix: "p", environment: "live", created_at: "t", last_used_at: null, revoked_at: null, reveal_available: false },
  listApiKeys: { data: [{ id: "ak_1", name: "n", reveal_available: true }] },
  revealApiKey: { key: plaintext },
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
        if (!result.ok) {
          expect(knownTags.has(result.error._tag)).toBe(true)
          expect(result.error.message.length).toBeLessThanOrEqual(200)
          expect(JSON.stringify(result.error) + String(result.error)).not.toContain("aB3aB3")
        }
        const response = toResponse(operation, raw, raise)
        if (!response.ok) {
          expect(knownTags.has(response.error._tag)).toBe(true)
          expect(JSON.stringify(response.error)).not.toContain("aB3aB3")
        }
        else expect(response.value.statusCode).toBe(status)
      }),
      { numRuns: 500 }
    )
  })
})

/** Values a real server might put where the contract only assumes a type. */
const oddValue = fc.oneof(
  fc.constantFrom(null, "staging", "", 0, -1, true, false, [], {}, "not a date"),
  fc.jsonValue()
)

/** The fields each model only assumes (see ACCOUNT_API.md), with a body to put odd values into. */
const assumedFields: Array<{ readonly operation: OperationName; readonly fields: ReadonlyArray<string>; readonly body: Record<string, unknown> }> = [
  { operation: "createApiKey", fields: ["prefix", "environment", "reveal_available"], body: valid.createApiKey as Record<string, unknown> },
  { operation: "getApiKey", fields: ["prefix", "environment", "created_at", "last_used_at", "revoked_at"], body: valid.getApiKey as Record<string, unknown> },
  { operation: "updateApiKey", fields: ["prefix", "environment", "created_at", "last_used_at", "revoked_at"], body: valid.getApiKey as Record<string, unknown> },
  { operation: "getAccount", fields: ["name", "email", "plan"], body: { id: "a", name: "n", email: "e", plan: { slug: "s" }, owner_user_id: "u" } }
]

describe.each(assumedFields)("$operation: assumed fields", ({ body, fields, operation: name }) => {
  const operation = operations[name]

  it("decode with any JSON value or none, to the value when it fits or to undefined; published fields are kept", () => {
    const odd = fc.record(Object.fromEntries(fields.map((field) => [field, oddValue])), { requiredKeys: [] })
    fc.assert(
      fc.property(odd, fc.constantFrom(200, operation.successStatus), (values, status) => {
        const json = { ...body, ...values }
        const raw: RawResponse = { status, headers: {} as RawResponse["headers"], body: encoder.encode(JSON.stringify(json)), attempts: 1 }
        const result = interpret(operation, raw)
        expect(result.ok).toBe(true)
        const value = (result.ok ? result.value : undefined) as Record<string, unknown>
        for (const [field, published] of Object.entries(body)) {
          if (fields.includes(field)) continue
          if (field === "key") expect(Redacted.value(value[field] as Redacted.Redacted<string>)).toBe(published)
          else expect(value[field], field).toEqual(published)
        }
        for (const field of fields) {
          const decoded = value[field]
          // What fits comes through as sent; what does not is undefined, never a failure.
          if (decoded !== undefined && typeof decoded !== "object") expect(decoded).toBe(json[field])
        }
      }),
      { numRuns: 300 }
    )
  })

  it.skipIf(name === "getAccount")("a published field with another type still fails the decode", () => {
    const published = Object.keys(body).filter((field) => !fields.includes(field) && field !== "last_used_at")
    fc.assert(
      fc.property(fc.constantFrom(...published), fc.constantFrom(null, 42, [], {}), (field, wrong) => {
        const raw: RawResponse = {
          status: operation.successStatus,
          headers: {} as RawResponse["headers"],
          body: encoder.encode(JSON.stringify({ ...body, [field]: wrong })),
          attempts: 1
        }
        const result = interpret(operation, raw)
        expect(!result.ok && result.error._tag).toBe("MalformedResponse")
      }),
      { numRuns: 50 }
    )
  })
})

describe("a key cut by the message limit", () => {
  it("stays redacted and within 200 characters wherever the cut falls", () => {
    for (let pad = 150; pad <= 200; pad++) {
      const body = encoder.encode("x".repeat(pad) + " " + plaintext)
      const result = interpret(operations.createApiKey, { status: 418, headers: {} as RawResponse["headers"], body, attempts: 1 })
      expect(!result.ok && result.error.message.length).toBeLessThanOrEqual(200)
      expect(!result.ok && result.error.message).not.toContain("aB3")
    }
  })
})
