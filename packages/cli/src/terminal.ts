/**
 * What the command line writes: colour only on a terminal and never with NO_COLOR, progress on a
 * terminal's stderr for anything that waits, tables for people and JSON for programs.
 *
 * @since 2.0.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { CliOutput } from "effect/cli"

const noColor = (): boolean => {
  const value = process.env["NO_COLOR"]
  return value !== undefined && value !== ""
}

/**
 * Whether to colour what goes to stdout (or stderr): a terminal, and NO_COLOR unset or empty.
 *
 * @example
 * ```ts
 * import { colorFor } from "./terminal.js"
 * colorFor(process.stdout) // false when piped
 * ```
 * @since 2.0.0
 * @category terminal
 */
export const colorFor = (stream: NodeJS.WriteStream): boolean => stream.isTTY === true && !noColor()

/**
 * ANSI styles that are no-ops when colour is off.
 *
 * @example
 * ```ts
 * import { styles } from "./terminal.js"
 * styles(false).bold("x") // "x"
 * ```
 * @since 2.0.0
 * @category terminal
 */
export const styles = (on: boolean) => {
  const wrap = (open: string, close: string) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text)
  return { bold: wrap("1", "22"), dim: wrap("2", "22"), yellow: wrap("33", "39"), green: wrap("32", "39"), red: wrap("31", "39") }
}

/**
 * Writes a line to stdout.
 *
 * @example
 * ```ts
 * import { out } from "./terminal.js"
 * out("hello")
 * ```
 * @since 2.0.0
 * @category output
 */
export const out = (line: string): Effect.Effect<void> => Effect.sync(() => void process.stdout.write(`${line}\n`))

/**
 * Writes a line to stderr.
 *
 * @example
 * ```ts
 * import { err } from "./terminal.js"
 * err("careful")
 * ```
 * @since 2.0.0
 * @category output
 */
export const err = (line: string): Effect.Effect<void> => Effect.sync(() => void process.stderr.write(`${line}\n`))

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** Whether progress may be drawn: stderr is a terminal (and the user did not ask for JSON). */
const canAnimate = (json: boolean): boolean => !json && process.stderr.isTTY === true

/**
 * Runs `effect`, drawing a spinner with `label` on a terminal's stderr if it takes longer than a
 * moment; the line is cleared when it ends. Off a terminal, or with --json, nothing is drawn.
 *
 * @example
 * ```ts
 * import { withProgress } from "./terminal.js"
 * withProgress(program, "Listing keys", false)
 * ```
 * @since 2.0.0
 * @category progress
 */
export const withProgress = <A, E, R>(effect: Effect.Effect<A, E, R>, label: string, json: boolean): Effect.Effect<A, E, R> => {
  if (!canAnimate(json)) return effect
  let drawn = false
  const spin = Effect.gen(function*() {
    yield* Effect.sleep(Duration.millis(250))
    for (let i = 0;; i++) {
      drawn = true
      process.stderr.write(`\r\u001b[2K${frames[i % frames.length]} ${label}…`)
      yield* Effect.sleep(Duration.millis(80))
    }
  })
  return Effect.gen(function*() {
    const spinner = yield* Effect.forkChild(spin)
    return yield* effect.pipe(
      Effect.ensuring(
        Effect.andThen(Fiber.interrupt(spinner), Effect.sync(() => {
          if (drawn) process.stderr.write("\r\u001b[2K")
        }))
      )
    )
  })
}

/**
 * Waits `seconds`, counting down on a terminal's stderr with `message` (e.g. why we wait).
 *
 * @example
 * ```ts
 * import { countdown } from "./terminal.js"
 * countdown(3, "Rate limited by Bytekit", false)
 * ```
 * @since 2.0.0
 * @category progress
 */
export const countdown = (millis: number, message: string, json: boolean): Effect.Effect<void> =>
  Effect.gen(function*() {
    const end = Date.now() + millis
    if (!canAnimate(json)) return yield* Effect.sleep(Duration.millis(millis))
    while (Date.now() < end) {
      const left = Math.max(1, Math.ceil((end - Date.now()) / 1000))
      process.stderr.write(`\r\u001b[2K${message}: retrying in ${left}s…`)
      yield* Effect.sleep(Duration.millis(Math.min(250, Math.max(0, end - Date.now()))))
    }
    process.stderr.write("\r\u001b[2K")
  })

/**
 * A plain-text table: a header row and columns padded to their widest cell (in terminal cells).
 *
 * @example
 * ```ts
 * import { table } from "./terminal.js"
 * table(["ID", "NAME"], [["ak_1", "CI"]], { color: false }) // ["ID    NAME", "ak_1  CI"]
 * ```
 * @since 2.0.0
 * @category output
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: { readonly color: boolean; readonly dimRows?: ReadonlyArray<boolean> }
): Array<string> => {
  // Terminal cells, as effect/cli measures its own help: wide characters count 2, combining marks 0.
  const width = CliOutput.displayWidth
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ""))))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((cell, column) => column === cells.length - 1 ? cell : cell + " ".repeat(widths[column]! - width(cell))).join("  ").trimEnd()
  const style = styles(options.color)
  return [
    style.bold(line(header)),
    ...rows.map((row, index) => (options.dimRows?.[index] === true ? style.dim(line(row)) : line(row)))
  ]
}
