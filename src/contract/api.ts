/**
 * The Account resource as an Effect `HttpApi`, derived from the operations table: what the
 * OpenAPI document is generated from. (The SDK itself reads the table, so browser bundles do not
 * carry the HttpApi server machinery.)
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
import { ErrorResponse } from "./models.js"
import { type Operation, operations } from "./operations.js"

const clerkSession = HttpApiSecurity.bearer.pipe(HttpApiSecurity.annotate(OpenApi.Format, "JWT"))

/**
 * Either an API key (`bearerAuth`) or a Clerk session JWT (`ClerkSession`): the security of every
 * operation but reveal, as the OpenAPI document states it.
 *
 * @example
 * ```ts
 * import { ApiKeyOrSession } from "bytekit-effect/contract"
 * Object.keys(ApiKeyOrSession.security) // ["bearerAuth", "ClerkSession"]
 * ```
 * @since 0.1.0
 * @category security
 */
export class ApiKeyOrSession extends HttpApiMiddleware.Tag<ApiKeyOrSession>()("ApiKeyOrSession", {
  security: { bearerAuth: HttpApiSecurity.bearer, ClerkSession: clerkSession }
}) {}

/**
 * A Clerk session JWT only: reveal's security.
 *
 * @example
 * ```ts
 * import { SessionOnly } from "bytekit-effect/contract"
 * Object.keys(SessionOnly.security) // ["ClerkSession"]
 * ```
 * @since 0.1.0
 * @category security
 */
export class SessionOnly extends HttpApiMiddleware.Tag<SessionOnly>()("SessionOnly", {
  security: { ClerkSession: clerkSession }
}) {}

const KeyId = Schema.Struct({ id: Schema.String })

/** One operation of the table as an endpoint. */
const toEndpoint = (operation: Operation): HttpApiEndpoint.HttpApiEndpoint.Any => {
  let endpoint: any = HttpApiEndpoint.make(operation.method)(operation.name, operation.path as HttpApiEndpoint.PathSegment)
  if (operation.path.includes(":id")) endpoint = endpoint.setPath(KeyId)
  if (operation.payload) endpoint = endpoint.setPayload(operation.payload)
  if (operation.urlParams) endpoint = endpoint.setUrlParams(operation.urlParams)
  endpoint = endpoint.addSuccess(operation.success ?? HttpApiSchema.NoContent, { status: operation.successStatus })
  for (const status of operation.errors) endpoint = endpoint.addError(ErrorResponse, { status })
  return endpoint
    .middleware(operation.sessionOnly ? SessionOnly : ApiKeyOrSession)
    .annotate(OpenApi.Summary, operation.summary)
}

/**
 * The `Account` group: the seven operations, each named after its operationId.
 *
 * @example
 * ```ts
 * import { AccountGroup } from "bytekit-effect/contract"
 * Object.keys(AccountGroup.endpoints).length // 7
 * ```
 * @since 0.1.0
 * @category api
 */
export const AccountGroup = Object.values(operations).reduce(
  (group, operation) => group.add(toEndpoint(operation) as never),
  HttpApiGroup.make("Account", { topLevel: true }) as unknown as HttpApiGroup.HttpApiGroup<"Account", any, any, any, true>
)

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
