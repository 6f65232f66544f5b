/**
 * The 2.x contract is the shared core's tables (the repository root's src/core, no Effect) plus this
 * line's Schema models and error classes, nothing restated: the twin of the root's test/core.test.ts.
 */
import { describe, expect, it } from "vitest"
import { statusErrors, statusWithError } from "#line/core/errors.js"
import { operationNames, operationSpecs } from "#line/core/operations.js"
import { errorRow, errorTable } from "#line/contract/errors.js"
import { operations } from "#line/contract/operations.js"

describe("the 2.x contract is the core's tables plus models", () => {
  it("each operation's method, path, statuses and security come from the core's row", () => {
    expect(Object.keys(operations).sort()).toEqual([...operationNames].sort())
    for (const name of operationNames) {
      const spec = operationSpecs[name]
      const operation = operations[name]
      expect(operation).toMatchObject({
        name: spec.name,
        method: spec.method,
        path: spec.path,
        summary: spec.summary,
        successStatus: spec.successStatus,
        errors: spec.errors,
        sessionOnly: spec.sessionOnly
      })
      expect(operation.success === undefined).toBe(!spec.successBody)
      expect(operation.payload !== undefined).toBe(spec.body !== undefined)
      expect(operation.payloadOptional === true).toBe(spec.body?.optional === true)
      expect(operation.urlParams !== undefined).toBe(spec.query !== undefined)
    }
  })

  it("the error table's classes carry the core's tags, its codes are the core's codes", () => {
    for (const [status, row] of Object.entries(statusErrors)) {
      const entry = errorTable[Number(status) as keyof typeof errorTable]
      expect(entry.code).toBe(row.code)
      expect(new entry.error({ status: Number(status), code: row.code, message: "m", details: {}, headers: {} as never, retryAfter: undefined })._tag).toBe(row.tag)
    }
  })

  it("any 5xx reads the 500 row; statuses outside the table read none", () => {
    expect(statusWithError(502)).toBe(500)
    expect(errorRow(599)?.code).toBe("internal_error")
    expect(errorRow(418)).toBeUndefined()
  })
})
