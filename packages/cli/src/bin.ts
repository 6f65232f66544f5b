/**
 * `bytekit`: runs the command line and turns how it ended into an exit status and at most one
 * line on stderr (JSON with --json). Never a stack trace, never a secret.
 *
 * @since 2.0.0
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { CliError, CliOutput, Command } from "effect/cli"
import { cli } from "./cli.js"
import { version } from "./client.js"
import { CliFailure, exitCodes, formatJson, formatLine, interruptedExitCode } from "./failure.js"
import { colorFor } from "./terminal.js"

const argv = process.argv.slice(2)

// Help and version as effect/cli renders them (coloured only on a terminal without NO_COLOR); an
// invalid invocation is not answered with the whole help on stdout but one line on stderr, below.
const formatter = CliOutput.defaultFormatter({ colors: colorFor(process.stdout) })
const presenter: CliOutput.Presenter = {
  present: (event) => {
    switch (event._tag) {
      case "Help":
        return Effect.sync(() => void process.stdout.write(`${formatter.formatHelpDoc(event.helpDoc)}\n`))
      case "Version":
        return Effect.sync(() => void process.stdout.write(`${formatter.formatVersion(event.name, event.version)}\n`))
      case "InvalidInvocation":
        return Effect.void
    }
  }
}

/** Whether --json was asked for: read here only to choose how a failure to parse is written. */
const wantsJson = (): boolean => argv.includes("--json")

const report = (failure: CliFailure): number => {
  process.stderr.write(`${wantsJson() ? formatJson(failure) : formatLine(failure, colorFor(process.stderr))}\n`)
  return exitCodes[failure.kind]
}

/** A parse error's own words, one line. */
const usageFailure = (error: CliError.CliError, commandPath: ReadonlyArray<string>): CliFailure =>
  new CliFailure({
    kind: "usage",
    message: error.message.replace(/\s+/g, " ").trim(),
    fix: `see \`${commandPath.join(" ")} --help\``
  })

const exitCodeOf = (exit: Exit.Exit<void, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.hasInterruptsOnly(exit.cause)) return interruptedExitCode
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some") {
    const value = error.value
    if (value instanceof CliFailure) return report(value)
    if (CliError.isCliError(value)) {
      if (value._tag === "ShowHelp") {
        const first = value.errors[0]
        return first === undefined ? 0 : report(usageFailure(first, value.commandPath))
      }
      return report(usageFailure(value, ["bytekit"]))
    }
  }
  return report(new CliFailure({ kind: "failure", message: "unexpected failure (a bug in bytekit)" }))
}

const program = Command.runWith(cli, { version })(argv).pipe(
  Effect.provide(Layer.mergeAll(NodeServices.layer, CliOutput.layerPresenter(presenter)))
)

// Ctrl-C interrupts the command, so its finalizers run (a spinner's line is cleared, a child
// emulator stopped) and it ends with the shell's status for SIGINT.
const interrupt = new AbortController()
process.once("SIGINT", () => interrupt.abort())

Effect.runPromiseExit(program, { signal: interrupt.signal }).then((exit) => {
  const code = exitCodeOf(exit)
  if (code !== 0 || process.exitCode === undefined) process.exitCode = code
})
