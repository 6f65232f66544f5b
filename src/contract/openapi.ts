/**
 * The OpenAPI 3.1 document, generated from the definition.
 *
 * @since 0.1.0
 */
import * as OpenApi from "@effect/platform/OpenApi"
import { BytekitApi } from "./api.js"

const frameworkSchemas = ["HttpApiDecodeError", "Issue", "PropertyKey"]
const isFrameworkRef = (schema: unknown): boolean =>
  typeof schema === "object" && schema !== null &&
  frameworkSchemas.some((name) => (schema as { $ref?: string }).$ref === `#/components/schemas/${name}`)

/**
 * The Account API as an OpenAPI 3.1 document. Two things the generator cannot express are set
 * here: request decode failures answer in Bytekit's own `Error` envelope (so the framework's
 * decode-error schema is dropped), and create's body is optional.
 *
 * @example
 * ```ts
 * import { openApiDocument } from "bytekit-effect/contract"
 * const doc = openApiDocument()
 * Object.keys(doc.paths) // ["/v1/account/api-keys", "/v1/account", ...]
 * ```
 * @since 0.1.0
 * @category api
 */
export const openApiDocument = (): OpenApi.OpenAPISpec => {
  const doc = OpenApi.fromApi(BytekitApi)
  for (const path of Object.values(doc.paths)) {
    for (const operation of Object.values(path) as Array<OpenApi.OpenAPISpecOperation | undefined>) {
      if (operation?.responses === undefined) continue
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.["application/json"]
        if (media === undefined) continue
        const schema = media.schema as { $ref?: string; anyOf?: Array<unknown> }
        if (isFrameworkRef(schema)) delete operation.responses[Number(status)]
        else if (schema.anyOf?.some(isFrameworkRef)) {
          const rest = schema.anyOf.filter((member) => !isFrameworkRef(member))
          media.schema = (rest.length === 1 ? rest[0] : { anyOf: rest }) as typeof media.schema
        }
      }
      if (operation.operationId === "getAccount") {
        const media = operation.responses[200]!.content!["application/json"]!
        const { anyOf } = media.schema as { anyOf: Array<unknown> }
        doc.components.schemas["GetAccountResponse200"] = { oneOf: anyOf } as never
        media.schema = { $ref: "#/components/schemas/GetAccountResponse200" }
      }
      if (operation.operationId === "createApiKey" && operation.requestBody) (operation.requestBody as { required: boolean }).required = false
      for (const parameter of operation.parameters) {
        if (parameter.name === "include_revoked") parameter.schema = { type: "boolean", default: false } as never
      }
    }
  }
  for (const name of frameworkSchemas) delete doc.components.schemas[name]
  delete doc.components.schemas["BooleanFromString"]
  return doc
}
