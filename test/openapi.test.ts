/** The OpenAPI document generated from the definition against the published contract. */
import { existsSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { openApiDocument } from "#line/contract/index.js"
import { operationNames } from "#line/core/operations.js"

type Doc = {
  paths: Record<string, Record<string, any>>
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> }
}
// A copy of ../shared/contract/bytekit-account.openapi.json, so a clone tests on its own; where the
// shared contract is beside the checkout, the copy must still equal it.
const copy = readFileSync(new URL("fixtures/bytekit-account.openapi.json", import.meta.url), "utf8")
const shared = new URL("../../shared/contract/bytekit-account.openapi.json", import.meta.url)
const contract: Doc = JSON.parse(copy)
const generated = openApiDocument() as unknown as Doc
const methods = ["get", "post", "patch", "delete", "put"]

/** Per operation: path, method, statuses, security, parameters, body. */
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    methods.filter((m) => item[m]).map((method) => {
      const op = item[method]
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
      return {
        operationId: op.operationId,
        path,
        method,
        statuses: Object.keys(op.responses).sort(),
        security: op.security,
        parameters: parameters.map((p: any) => `${p.in}:${p.name}:${p.required === true}`).sort(),
        body: op.requestBody ? { required: op.requestBody.required === true, ref: op.requestBody.content["application/json"].schema.$ref } : null
      }
    })
  ).sort((a, b) => a.operationId.localeCompare(b.operationId))

describe("the generated OpenAPI document", () => {
  it.skipIf(!existsSync(shared))("is checked against an up-to-date copy of the shared contract", () => {
    expect(copy).toBe(readFileSync(shared, "utf8"))
  })

  it("has the contract's paths, methods, operationIds, statuses, security, parameters and bodies", () => {
    // Every published operation exactly as published; an operation of the table the contract does
    // not publish yet (a new one) is generated too, and nothing else is.
    const published = new Set(operations(contract).map((operation) => operation.operationId))
    expect(operations(generated).filter((operation) => published.has(operation.operationId))).toEqual(operations(contract))
    expect(operations(generated).map((operation) => operation.operationId).sort()).toEqual([...operationNames].sort())
  })

  it("has the contract's security schemes", () => {
    expect(generated.components.securitySchemes).toEqual({
      bearerAuth: { type: "http", scheme: "bearer" },
      ClerkSession: { type: "http", scheme: "bearer", bearerFormat: "JWT" }
    })
    expect(Object.keys(generated.components.securitySchemes).sort()).toEqual(Object.keys(contract.components.securitySchemes).sort())
  })

  it("has every contract schema with the same field names", () => {
    for (const [name, schema] of Object.entries(contract.components.schemas)) {
      const ours = generated.components.schemas[name]
      expect(ours, name).toBeDefined()
      if (schema.properties) expect(Object.keys(ours.properties ?? {}).sort(), name).toEqual(Object.keys(schema.properties).sort())
    }
  })

  it("documents error bodies as the Error envelope and no framework error schema", () => {
    const text = JSON.stringify(generated)
    expect(text).not.toContain("HttpApiDecodeError")
    expect(generated.paths["/v1/account/api-keys/{id}"]!.get.responses["404"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error"
    })
    expect(Object.keys(generated.components.schemas["Error"].properties.error.properties).sort()).toEqual(["code", "details", "message"])
  })
})
