/**
 * The seven operations, defined once as data: method, path, schemas, statuses, security. The SDK
 * reads this table directly (it stays light enough for browser bundles); the `HttpApi` definition,
 * the OpenAPI document and the emulator's routes are derived from it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  ApiKeyCreatedResponse,
  ApiKeyResponse,
  ApiKeyRevealResponse,
  CreateApiKeyBody,
  GetAccountResponse200,
  ListApiKeysResponse200,
  UpdateApiKeyBody
} from "./models.js"

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
 * One operation of the contract.
 *
 * @since 0.1.0
 * @category operations
 */
export interface Operation {
  readonly name: OperationName
  readonly summary: string
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** With `:id` for the key id. */
  readonly path: string
  readonly payload?: Schema.Codec<any, any> | undefined
  /** Whether the body may be left out (create's may). */
  readonly payloadOptional?: boolean | undefined
  readonly urlParams?: Schema.Codec<any, any> | undefined
  /** The success body; undefined for 204. */
  readonly success: Schema.Codec<any, any> | undefined
  /**
   * The documented success status (what the OpenAPI document and the emulator give). The SDK
   * also takes any other 2xx whose body decodes as `success` (any 2xx when there is no body).
   */
  readonly successStatus: number
  /** The error statuses the operation documents (its body then is `ErrorResponse`). */
  readonly errors: ReadonlyArray<number>
  /** Reveal takes a Clerk session only; the rest an API key or a session. */
  readonly sessionOnly: boolean
}

/** `"true"`/`"false"` as a boolean (Effect 4 has no `BooleanFromString`). */
const BooleanFromString = Schema.Literals(["true", "false"]).transform([true, false])

const ListParams = Schema.Struct({ include_revoked: Schema.optional(BooleanFromString) })

/**
 * The Account resource.
 *
 * @example
 * ```ts
 * import { operations } from "bytekit-effect/contract"
 * operations.revokeApiKey.successStatus // 204
 * ```
 * @since 0.1.0
 * @category operations
 */
export const operations: { readonly [K in OperationName]: Operation & { readonly name: K } } = {
  createApiKey: {
    name: "createApiKey",
    summary: "Create API key",
    method: "POST",
    path: "/v1/account/api-keys",
    payload: CreateApiKeyBody,
    payloadOptional: true,
    success: ApiKeyCreatedResponse,
    successStatus: 201,
    errors: [400, 401, 409, 429],
    sessionOnly: false
  },
  getAccount: {
    name: "getAccount",
    summary: "Get account details",
    method: "GET",
    path: "/v1/account",
    success: GetAccountResponse200,
    successStatus: 200,
    errors: [],
    sessionOnly: false
  },
  getApiKey: {
    name: "getApiKey",
    summary: "Get API key",
    method: "GET",
    path: "/v1/account/api-keys/:id",
    success: ApiKeyResponse,
    successStatus: 200,
    errors: [401, 404],
    sessionOnly: false
  },
  listApiKeys: {
    name: "listApiKeys",
    summary: "List API keys",
    method: "GET",
    path: "/v1/account/api-keys",
    urlParams: ListParams,
    success: ListApiKeysResponse200,
    successStatus: 200,
    errors: [],
    sessionOnly: false
  },
  revealApiKey: {
    name: "revealApiKey",
    summary: "Reveal API key",
    method: "POST",
    path: "/v1/account/api-keys/:id/reveal",
    success: ApiKeyRevealResponse,
    successStatus: 200,
    errors: [401, 403, 404, 409, 429, 500],
    sessionOnly: true
  },
  revokeApiKey: {
    name: "revokeApiKey",
    summary: "Revoke API key",
    method: "DELETE",
    path: "/v1/account/api-keys/:id",
    success: undefined,
    successStatus: 204,
    errors: [401, 404],
    sessionOnly: false
  },
  updateApiKey: {
    name: "updateApiKey",
    summary: "Rename API key",
    method: "PATCH",
    path: "/v1/account/api-keys/:id",
    payload: UpdateApiKeyBody,
    success: ApiKeyResponse,
    successStatus: 200,
    errors: [400, 401, 404, 409],
    sessionOnly: false
  }
}
