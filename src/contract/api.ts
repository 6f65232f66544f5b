/**
 * The Account resource, defined once. The SDK's operations, the emulator's routes and the
 * OpenAPI document are all read off this definition.
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import {
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  ApiKeyRevealResponse,
  CreateApiKeyBody,
  ErrorResponse,
  GetAccountResponse200,
  ListApiKeysResponse200,
  UpdateApiKeyBody
} from "./models.js"

const clerkSession = HttpApiSecurity.bearer.pipe(HttpApiSecurity.annotate(OpenApi.Format, "JWT"))

/**
 * Either an API key (`bearerAuth`) or a Clerk session JWT (`ClerkSession`).
 *
 * @since 0.1.0
 * @category security
 */
export class ApiKeyOrSession extends HttpApiMiddleware.Tag<ApiKeyOrSession>()("ApiKeyOrSession", {
  security: { bearerAuth: HttpApiSecurity.bearer, ClerkSession: clerkSession }
}) {}

/**
 * A Clerk session JWT only (reveal).
 *
 * @since 0.1.0
 * @category security
 */
export class SessionOnly extends HttpApiMiddleware.Tag<SessionOnly>()("SessionOnly", {
  security: { ClerkSession: clerkSession }
}) {}

const KeyId = Schema.Struct({ id: Schema.String })

const createApiKey = HttpApiEndpoint.post("createApiKey", "/v1/account/api-keys")
  .setPayload(CreateApiKeyBody)
  .addSuccess(ApiKeyCreatedResponse, { status: 201 })
  .addError(ErrorResponse, { status: 400 })
  .addError(ErrorResponse, { status: 401 })
  .addError(ErrorResponse, { status: 409 })
  .addError(ErrorResponse, { status: 429 })
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "Create API key")

const getAccount = HttpApiEndpoint.get("getAccount", "/v1/account")
  .addSuccess(GetAccountResponse200)
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "Get account details")

const getApiKey = HttpApiEndpoint.get("getApiKey", "/v1/account/api-keys/:id")
  .setPath(KeyId)
  .addSuccess(ApiKeyResponse)
  .addError(ErrorResponse, { status: 401 })
  .addError(ErrorResponse, { status: 404 })
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "Get API key")

const listApiKeys = HttpApiEndpoint.get("listApiKeys", "/v1/account/api-keys")
  .setUrlParams(Schema.Struct({ include_revoked: Schema.optional(Schema.BooleanFromString) }))
  .addSuccess(ListApiKeysResponse200)
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "List API keys")

const revealApiKey = HttpApiEndpoint.post("revealApiKey", "/v1/account/api-keys/:id/reveal")
  .setPath(KeyId)
  .addSuccess(ApiKeyRevealResponse)
  .addError(ErrorResponse, { status: 401 })
  .addError(ErrorResponse, { status: 403 })
  .addError(ErrorResponse, { status: 404 })
  .addError(ErrorResponse, { status: 409 })
  .addError(ErrorResponse, { status: 429 })
  .addError(ErrorResponse, { status: 500 })
  .middleware(SessionOnly)
  .annotate(OpenApi.Summary, "Reveal API key")

const revokeApiKey = HttpApiEndpoint.del("revokeApiKey", "/v1/account/api-keys/:id")
  .setPath(KeyId)
  .addSuccess(HttpApiSchema.NoContent)
  .addError(ErrorResponse, { status: 401 })
  .addError(ErrorResponse, { status: 404 })
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "Revoke API key")

const updateApiKey = HttpApiEndpoint.patch("updateApiKey", "/v1/account/api-keys/:id")
  .setPath(KeyId)
  .setPayload(UpdateApiKeyBody)
  .addSuccess(ApiKeyResponse)
  .addError(ErrorResponse, { status: 400 })
  .addError(ErrorResponse, { status: 401 })
  .addError(ErrorResponse, { status: 404 })
  .addError(ErrorResponse, { status: 409 })
  .middleware(ApiKeyOrSession)
  .annotate(OpenApi.Summary, "Rename API key")

/**
 * The `Account` group: the seven operations, each named after its operationId.
 *
 * @since 0.1.0
 * @category api
 */
export const AccountGroup = HttpApiGroup.make("Account", { topLevel: true })
  .add(createApiKey)
  .add(getAccount)
  .add(getApiKey)
  .add(listApiKeys)
  .add(revealApiKey)
  .add(revokeApiKey)
  .add(updateApiKey)

/**
 * The Bytekit Account API.
 *
 * @example
 * ```ts
 * import { OpenApi } from "@effect/platform"
 * import { BytekitApi } from "bytekit-effect/contract"
 * const document = OpenApi.fromApi(BytekitApi)
 * ```
 * @since 0.1.0
 * @category api
 */
export const BytekitApi = HttpApi.make("BytekitAccount")
  .add(AccountGroup)
  .annotateContext(OpenApi.annotations({
    title: "Bytekit API - Account resource",
    version: "1.0.0",
    servers: [
      { url: "https://api.bytekit.com", description: "Production (sk_live_ keys)" },
      { url: "https://api-stg.bytekit.com", description: "Staging (sk_test_ keys)" }
    ]
  }))

/**
 * The operations by name, as the definition holds them.
 *
 * @since 0.1.0
 * @category api
 */
export const endpoints: Readonly<Record<OperationName, AnyEndpoint>> = {
  createApiKey,
  getAccount,
  getApiKey,
  listApiKeys,
  revealApiKey,
  revokeApiKey,
  updateApiKey
} as Record<OperationName, unknown> as Record<OperationName, AnyEndpoint>

/**
 * The name of one of the seven operations.
 *
 * @since 0.1.0
 * @category api
 */
export type OperationName =
  | "createApiKey"
  | "getAccount"
  | "getApiKey"
  | "listApiKeys"
  | "revealApiKey"
  | "revokeApiKey"
  | "updateApiKey"

/**
 * An endpoint of the definition, whatever its schemas.
 *
 * @since 0.1.0
 * @category api
 */
export type AnyEndpoint = HttpApiEndpoint.HttpApiEndpoint.AnyWithProps

/**
 * The success status an endpoint defines (201 for create, 204 for revoke, else 200).
 *
 * @since 0.1.0
 * @category api
 */
export const successStatus = (endpoint: AnyEndpoint): number => {
  let status = successStatuses.get(endpoint)
  if (status === undefined) {
    status = HttpApiSchema.getStatusSuccess(endpoint.successSchema)
    successStatuses.set(endpoint, status)
  }
  return status
}
const successStatuses = new WeakMap<AnyEndpoint, number>()

/**
 * The error statuses an endpoint documents (the ones whose body the Python SDK parses as `Error`).
 *
 * @since 0.1.0
 * @category api
 */
export const documentedErrorStatuses = (endpoint: AnyEndpoint): ReadonlySet<number> => {
  const ast = endpoint.errorSchema.ast
  const members = SchemaAST.isUnion(ast) ? ast.types : [ast]
  return new Set(
    members.filter((member) => !SchemaAST.isNeverKeyword(member)).map((member) => HttpApiSchema.getStatusErrorAST(member))
  )
}

/**
 * Whether an endpoint accepts only a Clerk session (reveal), not an API key.
 *
 * @since 0.1.0
 * @category api
 */
export const isSessionOnly = (endpoint: AnyEndpoint): boolean => (endpoint.middlewares as ReadonlySet<unknown>).has(SessionOnly)
