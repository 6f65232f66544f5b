/**
 * Revealing a key as a signed-in dashboard user: a Clerk session token, fetched fresh for every
 * request (Clerk tokens live about 60 seconds). Runs against the embedded emulator.
 *
 *   npx tsx examples/reveal-with-session.ts
 *
 * In a browser, the token source is Clerk's own: `sessionToken: () => window.Clerk.session.getToken()`.
 */
import { FetchHttpClient } from "@effect/platform"
import { Console, Effect, Layer, Redacted } from "effect"
import { Account, BytekitClient } from "bytekit-effect"
import { startEmulator } from "bytekit-effect/emulator"

const emulator = await startEmulator()

// The emulator mints tokens over HTTP, as Clerk's frontend API would: one per request.
const sessionToken = Effect.tryPromise(async () => {
  const response = await fetch(`${emulator.url}/_emulator/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: emulator.seed.memberUserId })
  })
  return Redacted.make(((await response.json()) as { token: string }).token)
})

const Dashboard = BytekitClient.layer({ baseUrl: emulator.url, sessionToken }).pipe(Layer.provide(FetchHttpClient.layer))

const program = Effect.gen(function*() {
  const account = yield* Account.getAccount()
  yield* Console.log(`Signed in to ${account.name} (${account.id})`)
  const created = yield* Account.createApiKey({ name: "Dashboard key" })
  const revealed = yield* Account.revealApiKey(created.id)
  const same = Redacted.value(revealed.key) === Redacted.value(created.key)
  yield* Console.log(`Revealed ${created.id}: ${revealed.key} (matches the created key: ${same})`)
  yield* Account.revokeApiKey(created.id)
  const again = yield* Account.revealApiKey(created.id).pipe(
    Effect.as("revealed?!"),
    Effect.catchTags({
      Conflict: (error) => Effect.succeed(`refused, ${error.code}`),
      RateLimited: (error) => Effect.succeed(`rate limited, retry in ${error.retryAfter} ms`)
    })
  )
  yield* Console.log(`After revoking: ${again}`)
})

await Effect.runPromise(program.pipe(Effect.provide(Dashboard), Effect.ensuring(Effect.promise(() => emulator.stop()))))
