/**
 * What differs between the lines inside the tests, under one set of names: this is the 1.x line's
 * (Effect 3, @effect/platform, @effect/vitest); packages/effect4/test/line.ts is the 2.x line's.
 * Shared tests import it as `#line-test/line.js`; the HTTP modules are in `#line-test/http.js`.
 */
import { Cause, ConfigProvider, Effect, Either, Exit, Fiber, Logger, LogLevel, Option } from "effect"
import { fileURLToPath } from "node:url"
import type { Outcome } from "./outcome.js"

export { it } from "@effect/vitest"

/** Which line runs. */
export const line = "1.x" as const

/** The line's package directory (its package.json, node_modules, dist). */
export const lineRoot: string = fileURLToPath(new URL("../", import.meta.url))

/**
 * A fixture that loads the package by name (`bytekit-effect/client`) under plain Node, which
 * resolves the name from the package the file sits in: test/fixtures/<path>, in the 1.x package.
 * (The 2.x line runs a copy of the same file placed inside packages/effect4.)
 */
export const lineFixture = (path: string): string => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url))

/** The outcome of a call as a plain Success/Failure value (`Effect.either`). */
export const result = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<Outcome<A, E>, never, R> =>
  Effect.map(
    Effect.either(self),
    (either): Outcome<A, E> => Either.isRight(either) ? { _tag: "Success", success: either.right } : { _tag: "Failure", failure: either.left }
  )

/** The failure a cause holds, if any (not a defect or an interruption). */
export const failureOption = <E>(cause: Cause.Cause<E>): Option.Option<E> => Cause.failureOption(cause)

/** Whether a cause holds a defect. */
export const isDie = <E>(cause: Cause.Cause<E>): boolean => Cause.isDie(cause)

/** Whether an exit is an interruption. */
export const isInterrupted = <A, E>(exit: Exit.Exit<A, E>): boolean => Exit.isInterrupted(exit)

/** Forks an effect as a child of the running fiber. */
export const forkChild = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.fork(self)

/** Interrupts a fiber and answers its exit. */
export const interruptExit = <A, E>(fiber: Fiber.Fiber<A, E>): Effect.Effect<Exit.Exit<A, E>> => Fiber.interrupt(fiber)

/** Runs an effect with its configuration read from `env` only. */
export const withConfig = (env: Record<string, string>) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withConfigProvider(self, ConfigProvider.fromMap(new Map(Object.entries(env))))

/** Runs an effect logging only to `logger`, from `level` up. */
export const withLogger = (logger: Logger.Logger<unknown, void>, level: "All" | "Debug") => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  self.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)), Logger.withMinimumLogLevel(level === "All" ? LogLevel.All : LogLevel.Debug))

/** A log level as the log shows it ("WARN", "DEBUG"). */
export const levelLabel = (level: LogLevel.LogLevel): string => level.label

/** The other line, through its build (packages/effect4's dist, on its own Effect): for what must hold across lines. */
export const otherLine = {
  name: "2.x",
  build: (): Promise<Record<string, unknown> & { readonly isBytekitError: (u: unknown) => boolean }> =>
    import(new URL("../packages/effect4/dist/index.js", import.meta.url).href)
}
