/**
 * The `bytekit` command tree, on `effect/cli`: `account`, `keys list|get|create|rename|revoke|reveal|rotate`
 * and `emulator`, with `--base-url`, `--json` and `--timeout` shared by all of them.
 *
 * @since 2.0.0
 */
import { Account } from "bytekit-effect"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { Argument, Command, Flag, Prompt } from "effect/cli"
import { makeSession } from "./client.js"
import { emulator } from "./emulator.js"
import { bytekit, globals } from "./root.js"
import { CliFailure } from "./failure.js"
import { colorFor, out, styles, table } from "./terminal.js"


/** Writes `value` as one line of JSON on stdout. */
const printJson = (value: unknown) => out(JSON.stringify(value))

/** An ISO timestamp as `2026-11-26 12:33` (UTC), or a dash. */
const when = (iso: string | null | undefined): string => {
  if (iso === undefined || iso === null) return "-"
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace("T", " ")
}

interface KeyLike {
  readonly id: string
  readonly name: string
  readonly prefix?: string | undefined
  readonly environment?: string | undefined
  readonly created_at?: string | undefined
  readonly last_used_at?: string | null | undefined
  readonly revoked_at?: string | null | undefined
  readonly reveal_available?: boolean | undefined
}

/** A key's metadata as plain JSON: never a plaintext (these types have none). */
const keyJson = (key: KeyLike) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix ?? null,
  environment: key.environment ?? null,
  created_at: key.created_at ?? null,
  last_used_at: key.last_used_at ?? null,
  revoked_at: key.revoked_at ?? null,
  ...(key.reveal_available === undefined ? {} : { reveal_available: key.reveal_available })
})

const describeKey = (key: KeyLike) =>
  Effect.gen(function*() {
    const style = styles(colorFor(process.stdout))
    const rows: Array<[string, string]> = [
      ["ID", key.id],
      ["Name", key.name],
      ["Prefix", key.prefix ?? "-"],
      ["Environment", key.environment ?? "-"],
      ["Created", when(key.created_at)],
      ["Last used", when(key.last_used_at)],
      ["Revoked", key.revoked_at === null || key.revoked_at === undefined ? "no" : when(key.revoked_at)]
    ]
    for (const [label, value] of rows) yield* out(`${style.bold(label.padEnd(12))}${value}`)
  })

const idArgument = Argument.String("id").pipe(Argument.withDescription("The key's id (ak_…), as `bytekit keys list` shows it"))

// ---------------------------------------------------------------------------------------------- account

const account = Command.make("account", {}, () =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "account", { _tag: "apiKey" })
    const details = yield* session.call("Fetching the account", Account.getAccount())
    const d = details as {
      readonly id: string
      readonly name?: string | undefined
      readonly email?: string | undefined
      readonly plan?: { readonly name?: string | undefined; readonly slug?: string | undefined } | undefined
      readonly api_key?: { readonly id: string; readonly prefix: string; readonly environment?: string | undefined } | undefined
    }
    if (g.json) {
      return yield* printJson({
        id: d.id,
        name: d.name ?? null,
        email: d.email ?? null,
        plan: d.plan === undefined ? null : { name: d.plan.name ?? null, slug: d.plan.slug ?? null },
        api_key: d.api_key === undefined
          ? null
          : { id: d.api_key.id, prefix: d.api_key.prefix, environment: d.api_key.environment ?? null }
      })
    }
    const style = styles(colorFor(process.stdout))
    const rows: Array<[string, string]> = [
      ["Account", d.id],
      ["Name", d.name ?? "-"],
      ["Email", d.email ?? "-"],
      ["Plan", d.plan === undefined ? "-" : `${d.plan.name ?? d.plan.slug ?? "-"}${d.plan.slug === undefined ? "" : ` (${d.plan.slug})`}`],
      [
        "Calling key",
        d.api_key === undefined
          ? "-"
          : `${d.api_key.id} (${d.api_key.prefix}…${d.api_key.environment === undefined ? "" : `, ${d.api_key.environment}`})`
      ]
    ]
    for (const [label, value] of rows) yield* out(`${style.bold(label.padEnd(12))}${value}`)
  })).pipe(
    Command.withDescription("Show the account: name, email, plan, and the key that is calling"),
    Command.withExamples([{ command: "bytekit account --json", description: "The account as JSON" }])
  )

// ---------------------------------------------------------------------------------------------- keys

const list = Command.make("list", {
  all: Flag.Boolean("all").pipe(Flag.withAlias("a"), Flag.withDescription("Include revoked keys"), Flag.withDefault(false))
}, ({ all }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys list", { _tag: "apiKey" })
    const listed = yield* session.call("Listing keys", Account.listApiKeys(all ? { include_revoked: true } : undefined))
    // Newest first, whatever order the server used.
    const keys = [...listed.data].sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""))
    if (g.json) return yield* printJson({ data: keys.map(keyJson) })
    const color = colorFor(process.stdout)
    if (keys.length === 0) return yield* out(all ? "No keys." : "No active keys (--all shows revoked ones).")
    const lines = table(
      ["ID", "NAME", "PREFIX", "ENV", "CREATED", "LAST USED", "REVOKED"],
      keys.map((key) => [
        key.id,
        key.name,
        key.prefix === undefined ? "-" : `${key.prefix}…`,
        key.environment ?? "-",
        when(key.created_at),
        when(key.last_used_at),
        key.revoked_at === null || key.revoked_at === undefined ? "-" : when(key.revoked_at)
      ]),
      { color, dimRows: keys.map((key) => key.revoked_at !== null && key.revoked_at !== undefined) }
    )
    for (const line of lines) yield* out(line)
  })).pipe(
    Command.withAlias("ls"),
    Command.withDescription("List the account's keys, newest first (id, name, prefix, environment, created, last used, revoked)"),
    Command.withExamples([
      { command: "bytekit keys list", description: "Active keys as a table" },
      { command: "bytekit keys list --all --json", description: "Every key, revoked ones too, as JSON" }
    ])
  )

const get = Command.make("get", { id: idArgument }, ({ id }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys get", { _tag: "apiKey" }, id)
    const key = yield* session.call("Fetching the key", Account.getApiKey(id))
    if (g.json) return yield* printJson(keyJson(key))
    yield* describeKey(key)
  })).pipe(
    Command.withDescription("Show one key's metadata (never its plaintext)"),
    Command.withExamples([{ command: "bytekit keys get ak_123", description: "One key's details" }])
  )

const quiet = Flag.Boolean("quiet").pipe(
  Flag.withAlias("q"),
  Flag.withDescription("Print only the plaintext key, for KEY=$(bytekit …)"),
  Flag.withDefault(false)
)

interface CreatedLike extends KeyLike {
  readonly key: Redacted.Redacted<string>
}

/** Prints a key made just now: the plaintext once (the reason these commands exist), and a warning. */
const printCreated = (created: CreatedLike, options: { readonly json: boolean; readonly quiet: boolean; readonly extra?: Record<string, unknown> }) =>
  Effect.gen(function*() {
    const plaintext = Redacted.value(created.key)
    if (options.json) return yield* printJson({ ...options.extra, ...keyJson(created), key: plaintext })
    if (options.quiet) return yield* out(plaintext)
    const style = styles(colorFor(process.stdout))
    yield* out(`Created ${created.id} "${created.name}"${created.environment === undefined ? "" : ` (${created.environment})`}`)
    yield* out(plaintext)
    yield* out(style.yellow("Store this key now: it will not be shown again."))
  })

const create = Command.make("create", {
  name: Flag.String("name").pipe(Flag.withAlias("n"), Flag.withDescription("The key's name (default: Untitled key)"), Flag.optional),
  quiet
}, ({ name, quiet }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys create", { _tag: "apiKey" })
    const created = yield* session.call(
      "Creating a key",
      Account.createApiKey(Option.isSome(name) ? { name: name.value } : {})
    )
    yield* printCreated(created, { json: g.json, quiet })
  })).pipe(
    Command.withDescription("Create a key and print its plaintext, once: it will not be shown again"),
    Command.withExamples([
      { command: "bytekit keys create --name ci", description: "A key named ci" },
      { command: "KEY=$(bytekit keys create --name ci --quiet)", description: "Only the key, into a variable" }
    ])
  )

const rename = Command.make("rename", {
  id: idArgument,
  name: Argument.String("name").pipe(Argument.withDescription("The new name (1 to 100 characters)"))
}, ({ id, name }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys rename", { _tag: "apiKey" }, id)
    const key = yield* session.call("Renaming the key", Account.updateApiKey(id, { name }))
    if (g.json) return yield* printJson(keyJson(key))
    yield* out(`Renamed ${key.id} to "${key.name}"`)
  })).pipe(
    Command.withDescription("Rename a key"),
    Command.withExamples([{ command: "bytekit keys rename ak_123 \"deploy bot\"", description: "Give ak_123 a new name" }])
  )

const revoke = Command.make("revoke", {
  id: idArgument,
  yes: Flag.Boolean("yes").pipe(
    Flag.withAlias("y"),
    Flag.withDescription("Revoke without asking (needed when not on a terminal)"),
    Flag.withDefault(false)
  )
}, ({ id, yes }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys revoke", { _tag: "apiKey" }, id)
    if (!yes) {
      if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
        return yield* new CliFailure({
          kind: "usage",
          message: "keys revoke asks for confirmation, and this is not a terminal",
          fix: `pass --yes: bytekit keys revoke ${id} --yes`
        })
      }
      const key = yield* session.call("Fetching the key", Account.getApiKey(id))
      const confirmed = yield* Prompt.run(Prompt.Confirm({
        message: `Revoke ${key.id} "${key.name}"? Anything using it stops working at once.`,
        initial: false
      }))
      if (!confirmed) return yield* new CliFailure({ kind: "aborted", message: `${id} not revoked` })
    }
    yield* session.call("Revoking the key", Account.revokeApiKey(id))
    if (g.json) return yield* printJson({ id, revoked: true })
    yield* out(`Revoked ${id}`)
  })).pipe(
    Command.withDescription("Revoke a key: anything using it stops working. Asks first on a terminal; elsewhere needs --yes"),
    Command.withExamples([
      { command: "bytekit keys revoke ak_123", description: "Asks, then revokes" },
      { command: "bytekit keys revoke ak_123 --yes", description: "In a script or CI job" }
    ])
  )

const reveal = Command.make("reveal", {
  id: idArgument,
  sessionToken: Flag.Redacted("session-token").pipe(
    Flag.withDescription("A Clerk session token (default: $BYTEKIT_SESSION_TOKEN); an API key cannot reveal keys"),
    Flag.withMetavar("TOKEN"),
    Flag.optional
  )
}, ({ id, sessionToken }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys reveal", { _tag: "sessionToken", token: sessionToken }, id)
    const revealed = yield* session.call("Revealing the key", Account.revealApiKey(id))
    const plaintext = Redacted.value(revealed.key)
    if (g.json) return yield* printJson({ id, key: plaintext })
    yield* out(plaintext)
  })).pipe(
    Command.withDescription("Print a key's plaintext (stdout only). Needs a Clerk session token, not an API key"),
    Command.withExamples([
      { command: "BYTEKIT_SESSION_TOKEN=… bytekit keys reveal ak_123", description: "The plaintext of ak_123" }
    ])
  )

const rotate = Command.make("rotate", { id: idArgument, quiet }, ({ id, quiet }) =>
  Effect.gen(function*() {
    const g = yield* globals
    const session = yield* makeSession(g, "keys rotate", { _tag: "apiKey" }, id)
    const old = yield* session.call("Fetching the key", Account.getApiKey(id))
    if (old.revoked_at !== null && old.revoked_at !== undefined) {
      return yield* new CliFailure({
        kind: "conflict",
        message: `${id} is already revoked`,
        fix: `\`bytekit keys create --name "${old.name}"\` makes a new key`
      })
    }
    const created = yield* session.call("Creating the new key", Account.createApiKey({ name: old.name }))
    const revoked = yield* session.call("Revoking the old key", Account.revokeApiKey(id)).pipe(Effect.result)
    yield* printCreated(created, { json: g.json, quiet, extra: { rotated_from: id, old_key_revoked: revoked._tag === "Success" } })
    if (revoked._tag === "Failure") {
      return yield* new CliFailure({
        kind: "rotation_incomplete",
        message: `rotation half done: new key ${created.id} created (printed above), but revoking ${id} failed: ${revoked.failure.message}${
          revoked.failure.fix === undefined ? "" : ` (${revoked.failure.fix})`
        }`,
        fix: `finish it with: bytekit keys revoke ${id} --yes`
      })
    }
    if (!g.json && !quiet) yield* out(`Revoked the old key ${id}.`)
  })).pipe(
    Command.withDescription(
      "Replace a key: create one with the same name, revoke the old one, print the new key. " +
        "If the revoke fails the new key is still printed and the exit status is 9, with the command that finishes it"
    ),
    Command.withExamples([
      { command: "bytekit keys rotate ak_123", description: "Rotate a leaked key" },
      { command: "NEW=$(bytekit keys rotate ak_123 --quiet)", description: "Only the new key, into a variable" }
    ])
  )

const keys = Command.make("keys").pipe(
  Command.withDescription("List, create, rename, revoke, reveal and rotate API keys"),
  Command.withExamples([
    { command: "bytekit keys list --all", description: "Every key, revoked ones too" },
    { command: "bytekit keys rotate ak_123 --quiet", description: "Rotate a key, print only the new one" }
  ]),
  Command.withSubcommands([list, get, create, rename, revoke, reveal, rotate])
)

/**
 * The whole command line.
 *
 * @example
 * ```ts
 * import { Command } from "effect/cli"
 * import { cli } from "./cli.js"
 * Command.runWith(cli, { version: "2.0.0" })(["keys", "list"])
 * ```
 * @since 2.0.0
 * @category commands
 */
export const cli = bytekit.pipe(Command.withSubcommands([account, keys, emulator]))
