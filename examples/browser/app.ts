/**
 * A dashboard page: signs in as a member with a Clerk-style session token minted by the emulator,
 * lists the account's keys, creates one, reveals it and revokes it, through the SDK's Effect API in
 * the browser (fetch, CORS). The emulator's URL comes from `?api=`. Written for both lines: on 2.x
 * (Effect 4) FetchHttpClient comes from `effect/http` instead, which `build.mjs --line 2` maps.
 *
 *   npm run build && node examples/browser/build.mjs [--line 2], then serve examples/browser/ and open ?api=<emulator url>
 */
import { FetchHttpClient } from "@effect/platform"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { Account, type ApiKeyResponse, BytekitClient } from "bytekit-effect"

const api = new URLSearchParams(location.search).get("api") ?? "http://127.0.0.1:4010"
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

/** A fresh session token per request, as Clerk's `session.getToken()` would give. */
const mintSession = async () => {
  const response = await fetch(`${api}/_emulator/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: "user_member" })
  })
  return ((await response.json()) as { token: string }).token
}

let runtime: ManagedRuntime.ManagedRuntime<BytekitClient, unknown> | undefined

const run = async <A>(label: string, effect: Effect.Effect<A, unknown, BytekitClient>): Promise<A | undefined> => {
  $("status").textContent = `${label}…`
  $("error").textContent = ""
  const exit = await runtime!.runPromiseExit(effect)
  if (exit._tag === "Failure") {
    $("error").textContent = `${label} failed: ${String(exit.cause)}`
    return undefined
  }
  $("status").textContent = `${label}: done`
  return exit.value
}

const render = (keys: ReadonlyArray<ApiKeyResponse>) => {
  const body = $("keys")
  body.replaceChildren()
  for (const key of keys) {
    const row = document.createElement("tr")
    row.dataset["id"] = key.id
    if (key.revoked_at) row.className = "revoked"
    for (const text of [key.name, key.id, key.prefix ?? ""]) {
      const cell = document.createElement("td")
      cell.textContent = text
      row.append(cell)
    }
    const actions = document.createElement("td")
    if (!key.revoked_at) {
      for (const [label, action] of [["Reveal", reveal], ["Revoke", revoke]] as const) {
        const button = document.createElement("button")
        button.textContent = label
        button.className = label.toLowerCase()
        button.onclick = () => void action(key.id)
        actions.append(button)
      }
    }
    row.append(actions)
    body.append(row)
  }
}

const refresh = async () => {
  const list = await run("Loading keys", Account.listApiKeys({ include_revoked: true }))
  if (list) render(list.data)
}

const reveal = async (id: string) => {
  const revealed = await run("Revealing", Account.revealApiKey(id))
  if (revealed) {
    $("revealed-key").textContent = Redacted.value(revealed.key)
    $("revealed").hidden = false
  }
}

const revoke = async (id: string) => {
  await run("Revoking", Account.revokeApiKey(id))
  $("revealed").hidden = true
  await refresh()
}

$("sign-in").onclick = async () => {
  runtime = ManagedRuntime.make(
    BytekitClient.layer({ baseUrl: api, sessionToken: mintSession }).pipe(Layer.provide(FetchHttpClient.layer))
  )
  const account = await run("Signing in", Account.getAccount())
  if (account) {
    $("who").textContent = `Signed in to ${account.name} (${account.id})`
    $<HTMLButtonElement>("create").disabled = false
    await refresh()
  }
}

$("create").onclick = async () => {
  const created = await run("Creating", Account.createApiKey({ name: `Browser key ${new Date().toISOString().slice(11, 19)}` }))
  if (created) await refresh()
}
