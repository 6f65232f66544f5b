/**
 * A plain result (the core's `Result`) as an Effect: its value, or its error as the failure.
 * Written once for both lines: Effect 3 and 4 spell `succeed` and `fail` alike.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Result } from "../core/result.js"

/**
 * An Effect of a plain result: its value, or its error as the failure.
 *
 * @since 0.1.0
 * @category internals
 */
export const fromResult = <A, E>(result: Result<A, E>): Effect.Effect<A, E> =>
  result.ok ? Effect.succeed(result.value) : Effect.fail(result.error)
