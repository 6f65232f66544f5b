/**
 * The OpenAPI 3.1 document, generated from the definition.
 *
 * @since 0.1.0
 */
import * as OpenApi from "effect/http-api/OpenApi"
import { BytekitApi } from "./api.js"

/** Effect 4 names a class's JSON schema after its encoded side (`ApiKeyResponseEncoded`). */
const encodedSuffix = /Encoded$/

/**
 * The Account API as an OpenAPI 3.1 document. What the generator does not express is set here:
 * the schemas keep the contract's names (Effect 4 suffixes them `Encoded`), `bearer` is written
 * as the contract writes it, create's body is optional, `include_revoked` is a boolean, and
 * `getAccount` answers one of two shapes.
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
  const generated = OpenApi.fromApi(BytekitApi)
  // One rename pass over the whole document: the schema keys and every $ref to them.
  const renamed = JSON.parse(
    JSON.stringify(generated).replace(/"#\/components\/schemas\/([A-Za-z0-9]+)Encoded"/g, "\"#/components/schemas/$1\"")
  ) as OpenApi.OpenAPISpec
  const schemas = renamed.components.schemas
  for (const name of Object.keys(schemas)) {
    if (!encodedSuffix.test(name)) continue
    schemas[name.replace(encodedSuffix, "")] = schemas[name]!
    delete schemas[name]
  }
  for (const path of Object.values(renamed.paths)) {
    for (const operation of Object.values(path) as Array<OpenApi.OpenAPISpecOperation | undefined>) {
      if (typeof operation !== "object" || operation?.responses === undefined) continue
      if (operation.operationId === "createApiKey" && operation.requestBody) {
        (operation.requestBody as { required: boolean }).required = false
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.name === "include_revoked") parameter.schema = { type: "boolean", default: false } as never
      }
    }
  }
  // Effect 4 writes the scheme as `Bearer`; the contract (and OpenAPI's examples) write `bearer`.
  for (const scheme of Object.values(renamed.components.securitySchemes ?? {})) {
    const http = scheme as { type?: string; scheme?: string }
    if (http.type === "http" && typeof http.scheme === "string") http.scheme = http.scheme.toLowerCase()
  }
  const getAccount = schemas["GetAccountResponse200"] as { anyOf?: Array<unknown> } | undefined
  if (getAccount?.anyOf !== undefined) schemas["GetAccountResponse200"] = { oneOf: getAccount.anyOf } as never
  return renamed
}
