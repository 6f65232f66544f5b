/**
 * The operations: the core's table (method, path, statuses, security; no Effect) joined with each
 * operation's schemas (`operationModels` in models.ts, where the compiler asks for every operation's
 * entry), built from the table's names. The SDK reads this table directly (it stays light enough for browser bundles); the
 * `HttpApi` definition and the OpenAPI document are derived from it.
 *
 * @since 0.1.0
 */
import { type OperationName, operationNames, type OperationSpec, operationSpecs } from "../core/operations.js"
import type { Codec } from "#line/internal/effect.js"
import { operationModels as models } from "./models.js"

export type { OperationName }

/**
 * The success model of an operation, read from its schema in `operationModels` (undefined for none).
 *
 * @since 0.1.0
 * @category operations
 */
export type SuccessOf<K extends OperationName> = (typeof models)[K]["success"] extends { readonly Type: infer A } ? A : undefined

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
  readonly payload?: Codec<any, any> | undefined
  /** Whether the body may be left out (create's may). */
  readonly payloadOptional?: boolean | undefined
  readonly urlParams?: Codec<any, any> | undefined
  /** The success body; undefined for 204. */
  readonly success: Codec<any, any> | undefined
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

const operationOf = <K extends OperationName>(name: K): Operation & { readonly name: K } => {
  const spec: OperationSpec = operationSpecs[name]
  const model: Pick<Operation, "success"> & Partial<Pick<Operation, "payload" | "urlParams">> = models[name]
  return {
    name,
    summary: spec.summary,
    method: spec.method,
    path: spec.path,
    ...(model.payload === undefined ? {} : { payload: model.payload }),
    ...(spec.body?.optional === true ? { payloadOptional: true } : {}),
    ...(model.urlParams === undefined ? {} : { urlParams: model.urlParams }),
    success: model.success,
    successStatus: spec.successStatus,
    errors: spec.errors,
    sessionOnly: spec.sessionOnly
  }
}

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
export const operations = Object.fromEntries(operationNames.map((name) => [name, operationOf(name)])) as {
  // Built from the core's names: a new row needs nothing here.
  readonly [K in OperationName]: Operation & { readonly name: K }
}
