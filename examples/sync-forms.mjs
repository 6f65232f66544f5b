// A plain Node script (no Effect, no await for the calls) using the sync forms, as a CLI would.
//
//   npm run build && node examples/sync-forms.mjs
//
// The sync forms block this thread while a worker makes the request, so the server must live
// elsewhere: this script starts the emulator in a child process (or set BYTEKIT_BASE_URL and
// BYTEKIT_API_KEY to use a real Bytekit).
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { AuthenticatedClient } from "bytekit-effect/client"
import * as createApiKey from "bytekit-effect/api/account/createApiKey"
import * as getAccount from "bytekit-effect/api/account/getAccount"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import * as listApiKeys from "bytekit-effect/api/account/listApiKeys"
import * as revokeApiKey from "bytekit-effect/api/account/revokeApiKey"
import * as updateApiKey from "bytekit-effect/api/account/updateApiKey"

let baseUrl = process.env.BYTEKIT_BASE_URL
let token = process.env.BYTEKIT_API_KEY
let emulator
if (!baseUrl) {
  const bin = new URL("../dist/emulator-bin.js", import.meta.url)
  emulator = spawn(process.execPath, [bin.pathname, "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] })
  const line = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once("line", resolve))
  ;({ url: baseUrl, api_key: token } = JSON.parse(line))
}

const client = new AuthenticatedClient({ baseUrl, token })
try {
  const account = getAccount.sync(client)
  console.log(`Account ${account.id} <${account.email}>`)

  const created = createApiKey.sync(client, { name: "From a script" })
  console.log(`Created ${created.id} (${created.prefix}…); the plaintext prints as ${created.key}`)

  console.log(`Renamed to "${updateApiKey.sync(created.id, client, { name: "Script key" }).name}"`)

  const missing = getApiKey.syncDetailed("ak_nope", client)
  console.log(`An unknown id: HTTP ${missing.statusCode}, ${missing.parsed.error.code}`)

  const revoked = revokeApiKey.syncDetailed(created.id, client)
  console.log(`Revoked: HTTP ${revoked.statusCode}`)

  const { data } = listApiKeys.sync(client, true)
  console.log(`Keys, revoked included: ${data.map((k) => `${k.name}${k.revoked_at ? " (revoked)" : ""}`).join(", ")}`)
} finally {
  await client.dispose()
  emulator?.kill()
}
