/**
 * The four call styles of one operation, shared by the seven `api/account/*` modules:
 * `asyncioDetailed` and `asyncio` run on the client's runtime; `syncDetailed` and `sync` block the
 * thread while a worker runs the same call.
 *
 * @since 0.1.0
 */
import type { DurationInput } from "#line/internal/effect.js"
import type { ErrorResponse } from "../../contract/models.js"
import { type OperationName, operations, type SuccessOf } from "../../contract/operations.js"
import type { DocumentsErrors } from "../../core/operations.js"
import type { RawResponse } from "../client/send.js"
import { blockingCall } from "./blocking.js"
import { type Client, plainOptionsOf, runOn } from "./Client.js"
import { type Response, toResponse } from "./Response.js"
import { toSdkError } from "./wire.js"

/**
 * Per-call options of the Promise forms.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** Aborts the request at once; the Promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined
  /** Per-attempt timeout for this call. */
  readonly timeout?: DurationInput | undefined
  /** Retries for this call. */
  readonly maxRetries?: number | undefined
  /** The most bytes of a response body read for this call; past it, `ResponseTooLarge`. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Per-call options of the sync forms.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncOptions {
  /** Per-attempt timeout for this call, in milliseconds. */
  readonly timeout?: number | undefined
  /** Retries for this call. */
  readonly maxRetries?: number | undefined
}

/**
 * What one call sends, in wire names.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallInput {
  readonly id?: string | undefined
  readonly urlParams?: Readonly<Record<string, string>> | undefined
  readonly payload?: unknown
}

/**
 * The four forms of an operation whose success model is `T` (`ErrorResponse` included where the
 * operation documents error statuses).
 *
 * @since 0.1.0
 * @category models
 */
export interface Forms<T> {
  readonly asyncioDetailed: (client: Client, input: CallInput, options?: RequestOptions) => Promise<Response<T>>
  readonly asyncio: (client: Client, input: CallInput, options?: RequestOptions) => Promise<T | undefined>
  readonly syncDetailed: (client: Client, input: CallInput, options?: SyncOptions) => Response<T>
  readonly sync: (client: Client, input: CallInput, options?: SyncOptions) => T | undefined
}

/**
 * What an operation's forms parse, from its row: its success model, and `ErrorResponse` where it
 * documents error statuses.
 *
 * @since 0.1.0
 * @category models
 */
export type ParsedOf<K extends OperationName> = SuccessOf<K> | (DocumentsErrors<K> extends true ? ErrorResponse : never)

/**
 * Builds the four forms of an operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeForms = <K extends OperationName>(name: K): Forms<ParsedOf<K>> => {
  type T = ParsedOf<K>
  const operation = operations[name]

  const finish = (client: Client, raw: RawResponse): Response<T> => {
    const response = toResponse<T>(operation, raw, client.raiseOnUnexpectedStatus)
    if (!response.ok) throw response.error
    return response.value
  }

  // Every form fails only with the SDK's tagged errors (or the abort reason): anything else,
  // thrown by a runtime or a bug, becomes a `Defect` with a scrubbed message.
  const asyncioDetailed = async (client: Client, input: CallInput, options: RequestOptions = {}) => {
    try {
      return await runOn(
        client,
        { operation, ...input },
        (raw) => toResponse<T>(operation, raw, client.raiseOnUnexpectedStatus),
        options
      )
    } catch (error) {
      throw toSdkError(error, options.signal)
    }
  }

  const syncDetailed = (client: Client, input: CallInput, options: SyncOptions = {}) => {
    try {
      return finish(
        client,
        blockingCall({
          operation: name,
          client: plainOptionsOf(client),
          ...input,
          timeout: options.timeout,
          maxRetries: options.maxRetries
        })
      )
    } catch (error) {
      throw toSdkError(error)
    }
  }

  return {
    asyncioDetailed,
    asyncio: async (client, input, options) => (await asyncioDetailed(client, input, options)).parsed,
    syncDetailed,
    sync: (client, input, options) => syncDetailed(client, input, options).parsed
  }
}
