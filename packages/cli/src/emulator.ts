/**
 * `bytekit emulator`: the local Bytekit API, with the same flags and output as `bytekit-emulator`.
 *
 * Runs in this process on `startEmulator` from bytekit-effect 2.x (`bytekit-effect/emulator`), which
 * carries the shared emulator with its own Effect 3 bundled inside: nothing of Effect 3 leaks into
 * the CLI's Effect 4, and that chunk is only loaded by this command. Stops on SIGTERM (status 0)
 * or Ctrl-C (status 130), closing the server and flushing its data file either way.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Command, Flag } from "effect/cli"
import { CliFailure } from "./failure.js"
import { globals } from "./root.js"
import { out } from "./terminal.js"

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

/** Why the emulator would not start, as one line: a data file that does not load, a port in use. */
const startFailure = (error: unknown): CliFailure => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "EADDRINUSE") {
    return new CliFailure({ kind: "failure", message: "the port is in use", fix: "pick another with --port (0 picks a free one)" })
  }
  if (code === "EADDRNOTAVAIL" || code === "EACCES") {
    return new CliFailure({ kind: "failure", message: "cannot listen on that host and port", fix: "check --host and --port" })
  }
  const message = error instanceof Error ? error.message.replace(/\s+/g, " ").trim().slice(0, 300) : "the emulator did not start"
  return new CliFailure({ kind: "failure", message: `the emulator did not start: ${message}` })
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
    // Loaded here only: the emulator's chunk (its Effect 3 inside) costs nothing to other commands.
    const { startEmulator } = yield* Effect.promise(() => import("bytekit-effect/emulator"))
    const sealingKey = process.env["BYTEKIT_EMULATOR_SEALING_KEY"]
    const emulator = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          startEmulator({
            port: options.port,
            host: options.host,
            environment: options.environment,
            rateLimit: Option.getOrUndefined(options.rateLimit),
            revealLimit: Option.getOrUndefined(options.revealLimit),
            dataFile: Option.getOrUndefined(options.data),
            sealingKeyFile: Option.getOrUndefined(options.sealingKeyFile),
            sealingKey: sealingKey === undefined || sealingKey === "" ? undefined : sealingKey,
            corsOrigins: options.corsOrigin,
            maxBufferedBytes: Option.getOrUndefined(options.maxBufferedBytes),
            headersTimeout: Option.getOrUndefined(options.headersTimeout),
            requestTimeout: Option.getOrUndefined(options.requestTimeout)
          }),
        catch: startFailure
      }),
      (emulator) => Effect.promise(() => emulator.stop())
    )
    // As bytekit-emulator: a key made before reveal existed (reveal answers 409); a restored one is reused.
    const legacyKeyId = options.legacyKey
      ? emulator.app.store.list(emulator.seed.accountId, false).find((key) => key.sealed === null)?.id ?? emulator.seedLegacyKey()
      : undefined
    if (root.json) {
      yield* out(JSON.stringify({ url: emulator.url, api_key: emulator.apiKey, ...(legacyKeyId === undefined ? {} : { legacy_key_id: legacyKeyId }) }))
    } else {
      for (
        const line of [
          `Bytekit emulator listening on ${emulator.url}`,
          `  API key (account ${emulator.seed.accountId}): ${emulator.apiKey}`,
          ...(legacyKeyId === undefined ? [] : [`  Legacy key id:  ${legacyKeyId} (reveal answers 409 reveal_unavailable)`]),
          `  Session token:  curl -s ${emulator.url}/_emulator/session -H 'content-type: application/json' -d '{"user_id":"${emulator.seed.ownerUserId}"}'`,
          `  Try:            BYTEKIT_BASE_URL=${emulator.url} BYTEKIT_API_KEY=… bytekit keys list`
        ]
      ) yield* out(line)
    }
    // Until SIGTERM (then status 0) or Ctrl-C (an interruption: status 130); the server stops either way.
    yield* Effect.callback<void>((resume) => {
      const onTerm = () => resume(Effect.void)
      process.once("SIGTERM", onTerm)
      return Effect.sync(() => void process.off("SIGTERM", onTerm))
    })
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription("Start the local Bytekit emulator (the same flags as bytekit-emulator); Ctrl-C stops it"),
    Command.withExamples([
      { command: "bytekit emulator --port 4010", description: "Emulator on http://127.0.0.1:4010" },
      { command: "bytekit emulator --port 0 --json", description: "A free port; prints {url, api_key} as JSON" }
    ])
  )
