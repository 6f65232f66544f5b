/**
 * What crosses between the sync forms and their worker thread: plain data only, so nothing fails
 * to clone and every error arrives as the SDK's own class.
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import { failureOf, isInterruptedOnly } from "#line/internal/effect.js"
import type { OperationName } from "../../contract/operations.js"
import * as Errors from "../../contract/errors.js"
import type { RawResponse } from "../client/send.js"
import { describeFailure } from "../../core/scrub.js"
import type { PlainClientOptions } from "./Client.js"
import type { MessagePort } from "node:worker_threads"

/** One sync call, as the worker receives it. */
export interface WorkerCall {
  readonly operation: OperationName
  readonly client: PlainClientOptions
  readonly id?: string | undefined
  readonly urlParams?: Readonly<Record<string, string>> | undefined
  readonly payload?: unknown
  readonly timeout?: number | undefined
  readonly maxRetries?: number | undefined
}

/**
 * The Int32Array the blocked thread shares with the worker and its supervisor: `state` says how
 * far the worker got, `wakes` counts the times the blocked thread was woken (a call answered, the
 * worker stopped). A blocked thread cannot receive the worker's `error` or `exit` events, so
 * everything it must learn while blocked comes through here.
 */
export const workerSlot = { state: 0, wakes: 1 } as const

/** Values of the `state` slot. Only the supervisor writes `stopped`, and nothing overwrites it. */
export const workerState = { starting: 0, supervised: 1, ready: 2, stopped: 3 } as const

/** What the worker receives on its calls port: a call (the first with the port every answer goes on), or a cancellation. */
export type WorkerMessage =
  | { readonly id: number; readonly call: WorkerCall; readonly port?: MessagePort | undefined; readonly cancel?: undefined }
  | { readonly id: number; readonly cancel: true }

/** Why the worker stopped, as its supervisor reports it: before it was ready (`load`) or after (`run`). */
export interface WorkerStop {
  readonly phase: "load" | "run"
  readonly cause: string
}

/** An error as plain data: its tag and its fields. */
export interface PlainError {
  readonly _tag: string
  readonly fields: Record<string, unknown>
}

export type WorkerResult =
  | { readonly ok: true; readonly status: number; readonly headers: Record<string, string>; readonly body: Uint8Array }
  | { readonly ok: false; readonly error: PlainError }

const classes: Record<string, new(fields: any) => Error> = Errors.errorClassesByTag

/** The fields of one of the SDK's errors, or a plain description of anything else. */
export const toPlainError = (error: unknown): PlainError => {
  if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" && error._tag in classes) {
    const fields: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(error)) {
      if (key !== "_tag") fields[key] = typeof value === "object" && value !== null ? { ...value } : value
    }
    fields["message"] = (error as { message?: unknown }).message
    return { _tag: error._tag, fields }
  }
  return { _tag: "Defect", fields: { message: describeFailure(error, [], "an unexpected failure") } }
}

/** The SDK error a plain error describes (a `Defect` for anything else). */
export const fromPlainError = (plain: PlainError): Error => {
  const Class = classes[plain._tag]
  return Class === undefined ? new Errors.Defect({ message: String(plain.fields["message"]) }) : new Class(plain.fields)
}

/** A raw response as plain data (headers as a plain object). */
export const toPlainResponse = (raw: RawResponse): WorkerResult => ({
  ok: true,
  status: raw.status,
  headers: { ...raw.headers },
  body: raw.body
})

/**
 * What a Promise or sync form throws: the SDK's own errors and an abort as they are, anything else
 * (a defect, a runtime's TypeError) as a `Defect` whose message is scrubbed.
 */
export const toSdkError = (error: unknown, signal?: AbortSignal): unknown => {
  if (typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" && error._tag in classes) {
    return error
  }
  if (signal?.aborted === true && error === signal.reason) return error
  if (error instanceof DOMException && error.name === "AbortError") return error
  return new Errors.Defect({ message: describeFailure(error, [], "an unexpected failure") })
}

/**
 * What a Promise form rejects with for a failed exit: the original error (never Effect's
 * `FiberFailure` wrapper), the abort reason when the signal interrupted it, a `Defect` for a defect.
 */
export const rejection = <A>(exit: Exit.Exit<A, unknown>, signal?: AbortSignal): unknown => {
  if (Exit.isSuccess(exit)) return undefined
  const failure = failureOf(exit.cause)
  if (failure !== undefined) return failure
  if (isInterruptedOnly(exit.cause)) {
    return signal?.reason ?? new DOMException("The operation was aborted", "AbortError")
  }
  return toSdkError(Cause.squash(exit.cause), signal)
}
