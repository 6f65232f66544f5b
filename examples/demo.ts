/**
 * The whole Account flow against the embedded emulator: no network, no setup.
 *
 *   npm run demo
 *
 * Set BYTEKIT_BASE_URL and BYTEKIT_API_KEY to run the same program against a real Bytekit.
 */
import { FetchHttpClient } from "@effect/platform"
import { Console, Effect, Layer, Redacted } from "effect"
import { Account, AccountDetails, BytekitClient } from "bytekit-effect"
import { startEmulator } from "bytekit-effect/emulator"

const program = Effect.gen(function*() {
  const account = yield* Account.getAccount()
  yield* Console.log(`Account ${account.id} (${account.email}), plan ${account.plan?.name ?? "?"}`)
  if (account instanceof AccountDetails) yield* Console.log(`  calling with key ${account.api_key.prefix}…`)

  const created = yield* Account.createApiKey({ name: "Demo key" })
  // The plaintext is Redacted: logging `created` shows <redacted>, never the key.
  yield* Console.log(`Created ${created.id} "${created.name}" (${created.prefix}…), plaintext is ${created.key}`)

  const renamed = yield* Account.updateApiKey(created.id, { name: "Demo key, renamed" })
  yield* Console.log(`Renamed to "${renamed.name}"`)

  const fetched = yield* Account.getApiKey(created.id)
  yield* Console.log(`Fetched: reveal_available=${fetched.reveal_available}, last_used_at=${fetched.last_used_at}`)

  const { data } = yield* Account.listApiKeys()
  yield* Console.log(`Active keys, newest first: ${data.map((k) => k.name).join(", ")}`)

  yield* Account.revokeApiKey(created.id)
  yield* Account.revokeApiKey(created.id) // idempotent
  const all = yield* Account.listApiKeys({ include_revoked: true })
  yield* Console.log(`Revoked ${created.id}; with revoked keys the list has ${all.data.length}`)

  // Failures are tagged errors: handle the ones you expect by tag.
  const missing = yield* Account.getApiKey("ak_does_not_exist").pipe(
    Effect.as("found?!"),
    Effect.catchTag("NotFound", (error) => Effect.succeed(`NotFound (${error.status} ${error.code})`))
  )
  yield* Console.log(`Looking up an unknown key: ${missing}`)
  return created
})

/** Reveal needs a Clerk session; the emulator mints one for its seeded member. */
const reveal = (id: string) =>
  Account.revealApiKey(id).pipe(
    Effect.map((revealed) => `revealed ${Redacted.value(revealed.key).slice(0, 12)}…`),
    Effect.catchTag("Conflict", (error) => Effect.succeed(`reveal refused: ${error.code}`))
  )

const main = Effect.gen(function*() {
  const external = process.env["BYTEKIT_BASE_URL"]
  const emulator = external ? undefined : yield* Effect.acquireRelease(
    Effect.promise(() => startEmulator()),
    (e) => Effect.promise(() => e.stop())
  )
  const baseUrl = external ?? emulator!.url
  yield* Console.log(`Bytekit at ${baseUrl}${emulator ? " (embedded emulator)" : ""}\n`)
  const withKey = BytekitClient.layer({ baseUrl, apiKey: process.env["BYTEKIT_API_KEY"] ?? emulator!.apiKey })
  const created = yield* program.pipe(Effect.provide(withKey))

  if (emulator) {
    const withSession = BytekitClient.layer({ baseUrl, sessionToken: () => emulator.mintSessionToken() })
    const fresh = yield* Account.createApiKey({ name: "To reveal" }).pipe(Effect.provide(withKey))
    yield* Console.log(`\nAs a signed-in member: ${yield* reveal(fresh.id).pipe(Effect.provide(withSession))}`)
    yield* Console.log(`Revealing the revoked key: ${yield* reveal(created.id).pipe(Effect.provide(withSession))}`)
  }
  yield* Console.log("\nDone.")
})

main.pipe(Effect.scoped, Effect.provide(Layer.mergeAll(FetchHttpClient.layer)), Effect.runPromise).catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})
