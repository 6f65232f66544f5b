// One round trip through each way of calling, on whatever runtime runs this file: the emulator,
// the Effect API, the asyncio form, and (where the runtime has worker threads) a sync form against
// an emulator in a child process.
import { FetchHttpClient } from "@effect/platform"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { Account, AuthenticatedClient, BytekitClient } from "../dist/index.js"
import * as getAccount from "../dist/api/account/getAccount.js"
import { startEmulator } from "../dist/emulator.js"

const results = {}
const emulator = await startEmulator()
const client = new AuthenticatedClient({ baseUrl: emulator.url, token: emulator.apiKey })
results.asyncio = (await getAccount.asyncio(client))?.id === "acct_demo"
const listed = await Effect.runPromise(
  Account.listApiKeys().pipe(
    Effect.provide(BytekitClient.layer({ baseUrl: emulator.url, apiKey: emulator.apiKey })),
    Effect.provide(FetchHttpClient.layer)
  )
)
results.effect = listed.data.length === 1
await client.dispose()
await emulator.stop()

try {
  const bin = new URL("../dist/emulator-bin.js", import.meta.url).pathname
  const child = spawn(process.execPath, [bin, "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] })
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve))
  const { api_key, url } = JSON.parse(line)
  try {
    results.sync = getAccount.sync(new AuthenticatedClient({ baseUrl: url, token: api_key }))?.id === "acct_demo"
  } finally {
    child.kill()
  }
} catch (error) {
  results.sync = `unavailable: ${error.message.slice(0, 120)}`
}
console.log(JSON.stringify(results))
process.exit(0)
