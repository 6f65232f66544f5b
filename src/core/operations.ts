/**
 * The seven operations of the Account API as plain data: method, path, statuses, security and the
 * wire shape of their inputs. No Effect: both SDK lines read it (each adds its own Schema models,
 * keyed by the same names) and so does the emulator, which routes and checks requests off it.
 *
 * @since 0.1.0
 */

/**
 * The name of one of the seven operations (its operationId).
 *
 * @since 0.1.0
 * @category operations
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
 * A field of a request body, as the wire carries it. `name` is a key's name (see `checkName`).
 *
 * @since 0.1.0
 * @category operations
 */
export interface BodyField {
  readonly kind: "name"
  readonly required: boolean
}

/**
 * One operation of the contract, without its models.
 *
 * @since 0.1.0
 * @category operations
 */
export interface OperationSpec {
  readonly name: OperationName
  readonly summary: string
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** With `:id` for the key id. */
  readonly path: string
  /** The JSON body the operation takes, if any; `optional` when the body may be left out. */
  readonly body?: { readonly optional: boolean; readonly fields: Readonly<Record<string, BodyField>> } | undefined
  /** The query parameters it takes, by name: `"boolean"` is `true` or `false`. */
  readonly query?: Readonly<Record<string, "boolean">> | undefined
  /**
   * The documented success status (what the OpenAPI document and the emulator give). The SDK
   * also takes any other 2xx whose body decodes as the operation's success.
   */
  readonly successStatus: number
  /** Whether a success has a body (204 has none). */
  readonly successBody: boolean
  /** The error statuses the operation documents (its body then is the error envelope). */
  readonly errors: ReadonlyArray<number>
  /** Reveal takes a Clerk session only; the rest an API key or a session. */
  readonly sessionOnly: boolean
}

/**
 * The operations table: one row per operation, the one place its route and statuses are written.
 *
 * @example
 * ```ts
 * import { operationSpecs } from "./operations.js"
 * operationSpecs.revokeApiKey.successStatus // 204
 * ```
 * @since 0.1.0
 * @category operations
 */
export const operationSpecs = {
  createApiKey: {
    name: "createApiKey",
    summary: "Create API key",
    method: "POST",
    path: "/v1/account/api-keys",
    body: { optional: true, fields: { name: { kind: "name", required: false } } },
    successStatus: 201,
    successBody: true,
    errors: [400, 401, 409, 429],
    sessionOnly: false
  },
  getAccount: {
    name: "getAccount",
    summary: "Get account details",
    method: "GET",
    path: "/v1/account",
    successStatus: 200,
    successBody: true,
    errors: [],
    sessionOnly: false
  },
  getApiKey: {
    name: "getApiKey",
    summary: "Get API key",
    method: "GET",
    path: "/v1/account/api-keys/:id",
    successStatus: 200,
    successBody: true,
    errors: [401, 404],
    sessionOnly: false
  },
  listApiKeys: {
    name: "listApiKeys",
    summary: "List API keys",
    method: "GET",
    path: "/v1/account/api-keys",
    query: { include_revoked: "boolean" },
    successStatus: 200,
    successBody: true,
    errors: [],
    sessionOnly: false
  },
  revealApiKey: {
    name: "revealApiKey",
    summary: "Reveal API key",
    method: "POST",
    path: "/v1/account/api-keys/:id/reveal",
    successStatus: 200,
    successBody: true,
    errors: [401, 403, 404, 409, 429, 500],
    sessionOnly: true
  },
  revokeApiKey: {
    name: "revokeApiKey",
    summary: "Revoke API key",
    method: "DELETE",
    path: "/v1/account/api-keys/:id",
    successStatus: 204,
    successBody: false,
    errors: [401, 404],
    sessionOnly: false
  },
  updateApiKey: {
    name: "updateApiKey",
    summary: "Rename API key",
    method: "PATCH",
    path: "/v1/account/api-keys/:id",
    body: { optional: false, fields: { name: { kind: "name", required: true } } },
    successStatus: 200,
    successBody: true,
    errors: [400, 401, 404, 409],
    sessionOnly: false
  }
} as const satisfies { readonly [K in OperationName]: OperationSpec & { readonly name: K } }

/**
 * The operation names, in the table's order.
 *
 * @example
 * ```ts
 * import { operationNames } from "./operations.js"
 * operationNames.length // 7
 * ```
 * @since 0.1.0
 * @category operations
 */
export const operationNames = Object.keys(operationSpecs) as ReadonlyArray<OperationName>

/**
 * Whether an operation documents error statuses (its Promise forms then parse `ErrorResponse` too),
 * read from its row at the type level.
 *
 * @since 0.1.0
 * @category operations
 */
export type DocumentsErrors<K extends OperationName> = (typeof operationSpecs)[K]["errors"] extends readonly [] ? false : true
