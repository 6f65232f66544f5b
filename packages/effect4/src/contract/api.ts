/**
 * The Account resource as an Effect `HttpApi`, derived from the operations table: what the
 * OpenAPI document is generated from. (The SDK itself reads the table, so browser bundles do not
 * carry the HttpApi server machinery.)
 *
 * @since 0.1.0
 */
import * as HttpApi from "effect/http-api/HttpApi"
import * as HttpApiEndpoint from "effect/http-api/HttpApiEndpoint"
import * as HttpApiGroup from "effect/http-api/HttpApiGroup"
import * as HttpApiMiddleware from "effect/http-api/HttpApiMiddleware"
import * as HttpApiSchema from "effect/http-api/HttpApiSchema"
import * as HttpApiSecurity from "effect/http-api/HttpApiSecurity"
import * as OpenApi from "effect/http-api/OpenApi"
import * as Schema from "effect/Schema"
import { ErrorResponse } from "#line/contract/models.js"
import { type Operation, operations } from "#line/contract/operations.js"

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
export class ApiKeyOrSession extends HttpApiMiddleware.Service<ApiKeyOrSession>()("ApiKeyOrSession", {
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
export class SessionOnly extends HttpApiMiddleware.Service<SessionOnly>()("SessionOnly", {
  security: { ClerkSession: clerkSession }
}) {}

/** One operation of the table as an endpoint (Effect 4: one options object instead of a builder chain). */
const toEndpoint = (operation: Operation) =>
  HttpApiEndpoint.make(operation.method)(operation.name, operation.path as `/${string}`, {
    ...(operation.path.includes(":id") ? { params: { id: Schema.String } } : {}),
    ...(operation.payload ? { payload: operation.payload } : {}),
    ...(operation.urlParams ? { query: operation.urlParams } : {}),
    success: (operation.success ?? HttpApiSchema.NoContent).pipe(HttpApiSchema.status(operation.successStatus)),
    error: operation.errors.map((status) => ErrorResponse.pipe(HttpApiSchema.status(status)))
  } as never)
    .middleware((operation.sessionOnly ? SessionOnly : ApiKeyOrSession) as typeof ApiKeyOrSession)
    .annotate(OpenApi.Summary, operation.summary)

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
export const AccountGroup: HttpApiGroup.HttpApiGroup<"Account", any, true> = Object.values(operations).reduce(
  (group, operation) => group.add(toEndpoint(operation) as never) as never,
  HttpApiGroup.make("Account", { topLevel: true }) as unknown as HttpApiGroup.HttpApiGroup<"Account", any, true>
)

/**
 * The Bytekit Account API.
 *
 * @example
 * ```ts
 * import { OpenApi } from "effect/http-api"
 * import { BytekitApi } from "bytekit-effect/contract"
 * const document = OpenApi.fromApi(BytekitApi)
 * ```
 * @since 0.1.0
 * @category api
 */
export const BytekitApi = HttpApi.make("BytekitAccount")
  .add(AccountGroup)
  .annotateMerge(OpenApi.annotations({
    title: "Bytekit API - Account resource",
    version: "1.0.0",
    servers: [
      { url: "https://api.bytekit.com", description: "Production (sk_live_ keys)" },
      { url: "https://api-stg.bytekit.com", description: "Staging (sk_test_ keys)" }
    ]
  }))
