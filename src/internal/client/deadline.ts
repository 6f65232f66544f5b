/**
 * A deadline for one attempt without `Effect.timeout`: one child fiber and a plain timer.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { forkChild, interruptFromTimer, isInterruptedExit } from "#line/internal/effect.js"

/**
 * Fails with `onTimeout` when `self` runs longer than `millis`, interrupting it (which aborts the
 * request). One child fiber and a plain timer: `Effect.timeout`'s sleeping fiber and race cost
 * more per call than the rest of the SDK together.
 *
 * @since 0.1.0
 * @category internals
 */
export const withDeadline = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(forkChild(restore(self)), (fiber) => {
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        interruptFromTimer(fiber)
      }, millis)
      return restore(Fiber.await(fiber)).pipe(
        Effect.onInterrupt(() => Fiber.interrupt(fiber)),
        Effect.ensuring(Effect.sync(() => clearTimeout(timer))),
        Effect.flatMap((exit): Effect.Effect<A, E | E2> => (timedOut && isInterruptedExit(exit) ? Effect.fail(onTimeout()) : exit))
      )
    })
  )
