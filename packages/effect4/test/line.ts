/**
 * What differs between the lines inside the tests, under one set of names: this is the 2.x line's
 * (Effect 4, effect/http, plain vitest); test/line.ts is the 1.x line's. Shared tests import it as
 * `#line-test/line.js`; the HTTP modules are in `#line-test/http.js`.
 */
import { Cause, ConfigProvider, Effect, Exit, Fiber, Logger, type LogLevel, Option, References } from "effect"
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { it as vitestIt } from "vitest"
import type { Outcome } from "#line-test/outcome.js"


/** Which line runs. */
export const line = "2.x" as const

/** The line's package directory (its package.json, node_modules, dist). */
export const lineRoot: string = fileURLToPath(new URL("../", import.meta.url))

/**
 * A fixture that loads the package by name (`bytekit-effect/client`) under plain Node, which
 * resolves the name from the package the file sits in: the shared test/fixtures/<path>, copied into
 * this package (test-results/fixtures/, ignored by git) so that the name, and `effect`, are the 2.x
 * line's. Written whole and renamed into place, as test files in parallel may ask for it at once.
 */
export const lineFixture = (path: string): string => {
  const source = readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url))
  const target = fileURLToPath(new URL(`../test-results/fixtures/${path}`, import.meta.url))
  if (!existsSync(target) || !readFileSync(target).equals(source)) {
    mkdirSync(dirname(target), { recursive: true })
    const temporary = `${target}.${process.pid}.tmp`
    writeFileSync(temporary, source)
    renameSync(temporary, target)
  }
  return target
}

/**
 * vitest's `it`, plus `it.live`: runs the Effect a test returns with the live clock, as
 * @effect/vitest's `it.live` (whose 4.x needs vitest 5 and Node 22).
 */
export const it: {
  (name: string, fn: () => unknown, timeout?: number): void
  readonly live: <A, E>(name: string, self: () => Effect.Effect<A, E>, timeout?: number) => void
  readonly each: <T>(cases: ReadonlyArray<T>) => (name: string, fn: (value: T) => unknown, timeout?: number) => void
} = Object.assign(
  (name: string, fn: () => unknown, timeout?: number) => vitestIt(name, fn as () => Promise<void>, timeout),
  {
    live: <A, E>(name: string, self: () => Effect.Effect<A, E>, timeout?: number) =>
      vitestIt(name, () => Effect.runPromise(self()).then(() => undefined), timeout),
    each: <T>(cases: ReadonlyArray<T>) => (name: string, fn: (value: T) => unknown, timeout?: number) =>
      vitestIt.each(cases as Array<T>)(name, fn as (value: T) => Promise<void>, timeout)
  }
)

/** The outcome of a call as a plain Success/Failure value (`Effect.result`). */
export const result = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<Outcome<A, E>, never, R> => Effect.result(self)


/** The failure a cause holds, if any (not a defect or an interruption). */
export const failureOption = <E>(cause: Cause.Cause<E>): Option.Option<E> => Cause.findErrorOption(cause)

/** Whether a cause holds a defect. */
export const isDie = <E>(cause: Cause.Cause<E>): boolean => Cause.hasDies(cause)

/** Whether an exit is an interruption. */
export const isInterrupted = <A, E>(exit: Exit.Exit<A, E>): boolean => Exit.hasInterrupts(exit)

/** Forks an effect as a child of the running fiber. */
export const forkChild = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.forkChild(self)

/** Interrupts a fiber and answers its exit (Effect 4's Fiber.interrupt answers void). */
export const interruptExit = <A, E>(fiber: Fiber.Fiber<A, E>): Effect.Effect<Exit.Exit<A, E>> =>
  Effect.andThen(Fiber.interrupt(fiber), Fiber.await(fiber))

/** Runs an effect with its configuration read from `env` only. */
export const withConfig = (env: Record<string, string>) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(self, ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

/** Runs an effect logging only to `logger`, from `level` up. */
export const withLogger = (logger: Logger.Logger<unknown, void>, level: "All" | "Debug") => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  self.pipe(Effect.provide(Logger.layer([logger])), Effect.provideService(References.MinimumLogLevel, level))

/** A log level as the log shows it ("WARN", "DEBUG"). */
export const levelLabel = (level: LogLevel.LogLevel): string => level.toUpperCase()

/** The other line, through its build (the repository root's dist, on its own Effect): for what must hold across lines. */
export const otherLine = {
  name: "1.x",
  build: (): Promise<Record<string, unknown> & { readonly isBytekitError: (u: unknown) => boolean }> =>
    import(new URL("../../../dist/index.js", import.meta.url).href)
}
