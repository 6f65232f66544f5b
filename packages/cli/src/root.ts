/**
 * The root command and the flags every command shares.
 *
 * @since 2.0.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { Command, Flag } from "effect/cli"
import type { Globals } from "./client.js"

/** Parses a duration as people type one: `30s`, `1500ms`, `2m`, or a number of seconds. */
const parseDuration = (text: string): Duration.Duration => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text)
  if (match === null) throw new Error("not a duration")
  const amount = Number(match[1])
  const millis = match[2] === "ms" ? amount : match[2] === "m" ? amount * 60_000 : amount * 1000
  if (!(millis > 0) || !Number.isFinite(millis)) throw new Error("not positive")
  return Duration.millis(millis)
}

const baseUrl = Flag.String("base-url").pipe(
  Flag.withDescription("The Bytekit API to talk to (default: $BYTEKIT_BASE_URL, else https://api.bytekit.com)"),
  Flag.withMetavar("URL"),
  Flag.optional
)
const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Machine-readable output on stdout; errors as JSON on stderr"),
  Flag.withDefault(false)
)
const timeout = Flag.String("timeout").pipe(
  Flag.withDescription("Give up on a request after this long: 30s, 1500ms, 2m (default 60s)"),
  Flag.withMetavar("DURATION"),
  Flag.mapTryCatch(parseDuration, () => "expected a duration such as 30s, 1500ms or 2m"),
  Flag.withDefault(Duration.seconds(60))
)

/**
 * The root command: shared flags, no action of its own (it shows its help).
 *
 * @since 2.0.0
 * @category commands
 */
export const bytekit = Command.make("bytekit").pipe(
  Command.withSharedFlags({ baseUrl, json, timeout }),
  Command.withDescription(
    "Manage Bytekit API keys from a terminal or a CI job. The API key comes from BYTEKIT_API_KEY; " +
      "exit status: 0 ok, 1 other failure, 2 usage, 3 authentication, 4 not found, 5 conflict, " +
      "6 rate limited, 7 network or timeout, 8 server, 9 rotation half done, 10 declined."
  ),
  Command.withExamples([
    { command: "BYTEKIT_API_KEY=sk_test_… bytekit keys list", description: "List the account's active keys" },
    { command: "bytekit --completions bash > /etc/bash_completion.d/bytekit", description: "Install bash completions (zsh, fish too)" }
  ])
)

/**
 * The shared flags, read from a subcommand's handler.
 *
 * @since 2.0.0
 * @category commands
 */
export const globals = Effect.map(bytekit, (root): Globals => root)
