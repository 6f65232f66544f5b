/**
 * `bytekit emulator`: the local Bytekit API, with the same flags as `bytekit-emulator`.
 *
 * The 2.x SDK does not ship the emulator yet, and the repo's (1.x) one runs on Effect 3, so it is
 * started as its own process: the repo's built `dist/emulator-bin.js` (or `$BYTEKIT_EMULATOR_BIN`).
 * Its output and exit status are passed through; Ctrl-C and SIGTERM are forwarded.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Command, Flag } from "effect/cli"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { CliFailure } from "./failure.js"
import { globals } from "./root.js"

const int = (name: string, description: string) =>
  Flag.Int(name).pipe(Flag.withDescription(description), Flag.optional)
const str = (name: string, description: string, metavar: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.withMetavar(metavar), Flag.optional)

const flags = {
  port: Flag.Int("port").pipe(Flag.withDescription("Port to listen on; 0 picks a free one"), Flag.withDefault(4010)),
  host: Flag.String("host").pipe(Flag.withDescription("Address to listen on"), Flag.withDefault("127.0.0.1")),
  environment: Flag.Literals("environment", ["test", "live"]).pipe(
    Flag.withDescription("Issue sk_test_ (test) or sk_live_ (live) keys"),
    Flag.withDefault("test")
  ),
  rateLimit: int("rate-limit", "Enforce this many requests per second (429 past it)"),
  revealLimit: int("reveal-limit", "Reveals per minute per account (default 10; 0 turns the limit off)"),
  data: str("data", "Keep the emulator's state in this file across restarts", "FILE"),
  corsOrigin: Flag.String("cors-origin").pipe(
    Flag.withDescription("Also answer CORS to this origin (repeatable)"),
    Flag.withMetavar("ORIGIN"),
    Flag.atLeast(0)
  ),
  maxBufferedBytes: int("max-buffered-bytes", "Request bodies share this budget (503 past it)"),
  headersTimeout: int("headers-timeout", "Milliseconds a client has to send its headers (408 after)"),
  requestTimeout: int("request-timeout", "Milliseconds a client has to send its whole request (408 after)"),
  legacyKey: Flag.Boolean("legacy-key").pipe(
    Flag.withDescription("Also seed a key made before reveal existed (reveal answers 409)"),
    Flag.withDefault(false)
  ),
  sealingKeyFile: str("sealing-key-file", "The key that seals stored plaintexts (default: <data>.key)", "FILE")
}

/** The emulator bin: $BYTEKIT_EMULATOR_BIN when set, else the repo's built one next to this package. */
const emulatorBin = (): string | CliFailure => {
  const fromEnv = process.env["BYTEKIT_EMULATOR_BIN"]
  if (fromEnv !== undefined && fromEnv !== "") {
    return existsSync(fromEnv)
      ? fromEnv
      : new CliFailure({
        kind: "failure",
        message: "BYTEKIT_EMULATOR_BIN names a file that does not exist",
        fix: "point it at bytekit-emulator's script (dist/emulator-bin.js), or unset it"
      })
  }
  // packages/cli/dist/bin.js → <repo>/dist/emulator-bin.js
  const inRepo = fileURLToPath(new URL("../../../dist/emulator-bin.js", import.meta.url))
  return existsSync(inRepo)
    ? inRepo
    : new CliFailure({
      kind: "failure",
      message: "the emulator is not built",
      fix: "run `npx tsup` at the bytekit-effect repo root, or set BYTEKIT_EMULATOR_BIN to bytekit-emulator's script"
    })
}

/**
 * The `emulator` command.
 *
 * @since 2.0.0
 * @category commands
 */
export const emulator = Command.make("emulator", flags, (options) =>
  Effect.gen(function*() {
    const root = yield* globals
    const bin = emulatorBin()
    if (bin instanceof CliFailure) return yield* bin
    const args = [
      "--port", String(options.port),
      "--host", options.host,
      "--environment", options.environment,
      ...Option.match(options.rateLimit, { onNone: () => [], onSome: (n) => ["--rate-limit", String(n)] }),
      ...Option.match(options.revealLimit, { onNone: () => [], onSome: (n) => ["--reveal-limit", String(n)] }),
      ...Option.match(options.data, { onNone: () => [], onSome: (f) => ["--data", f] }),
      ...options.corsOrigin.flatMap((origin) => ["--cors-origin", origin]),
      ...Option.match(options.maxBufferedBytes, { onNone: () => [], onSome: (n) => ["--max-buffered-bytes", String(n)] }),
      ...Option.match(options.headersTimeout, { onNone: () => [], onSome: (n) => ["--headers-timeout", String(n)] }),
      ...Option.match(options.requestTimeout, { onNone: () => [], onSome: (n) => ["--request-timeout", String(n)] }),
      ...(options.legacyKey ? ["--legacy-key"] : []),
      ...Option.match(options.sealingKeyFile, { onNone: () => [], onSome: (f) => ["--sealing-key-file", f] }),
      ...(root.json ? ["--json"] : [])
    ]
    const code = yield* Effect.callback<number>((resume) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: "inherit" })
      // SIGTERM is passed on (the emulator stops cleanly, status 0); Ctrl-C interrupts us, below.
      const onTerm = () => void child.kill("SIGTERM")
      process.on("SIGTERM", onTerm)
      child.on("exit", (status, signal) => {
        process.off("SIGTERM", onTerm)
        resume(Effect.succeed(status ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)))
      })
      child.on("error", () => resume(Effect.succeed(127)))
      // Interrupted (Ctrl-C): stop the emulator and wait for it, so its data file is flushed.
      return Effect.callback<void>((stopped) => {
        process.off("SIGTERM", onTerm)
        if (child.exitCode !== null || child.signalCode !== null) return stopped(Effect.void)
        child.once("exit", () => stopped(Effect.void))
        child.kill("SIGTERM")
      })
    })
    if (code !== 0) process.exitCode = code
  })).pipe(
    Command.withDescription("Start the local Bytekit emulator (the same flags as bytekit-emulator); Ctrl-C stops it"),
    Command.withExamples([
      { command: "bytekit emulator --port 4010", description: "Emulator on http://127.0.0.1:4010" },
      { command: "bytekit emulator --port 0 --json", description: "A free port; prints {url, api_key} as JSON" }
    ])
  )
