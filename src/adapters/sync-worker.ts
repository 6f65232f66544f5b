/**
 * The sync forms' worker: runs each call with the async machinery and hands back plain data,
 * then wakes the blocked thread. Clients are kept per options, so connections are reused.
 */
import type { MessagePort } from "node:worker_threads"
import { parentPort } from "node:worker_threads"
import { operations } from "../contract/operations.js"
import { type Client, fromPlainOptions, sendOn } from "./Client.js"
import { toPlainError, toPlainResponse, type WorkerCall, type WorkerResult } from "./wire.js"

// Deno gives workers a `location` whose origin is "null", which @effect/platform would resolve
// absolute request URLs against (and fail); requests here are always absolute.
if ((globalThis as { location?: { origin?: string } }).location?.origin === "null") {
  Reflect.deleteProperty(globalThis, "location")
}

const clients = new Map<string, Client>()
const maxClients = 16
const running = new Map<number, AbortController>()

const clientFor = (call: WorkerCall): Client => {
  const key = JSON.stringify(call.client)
  let client = clients.get(key)
  if (client === undefined) {
    if (clients.size >= maxClients) {
      const [oldestKey, oldest] = clients.entries().next().value as [string, Client]
      clients.delete(oldestKey)
      void oldest.dispose()
    }
    client = fromPlainOptions(call.client)
    clients.set(key, client)
  }
  return client
}

const run = async (call: WorkerCall, controller: AbortController): Promise<WorkerResult> => {
  try {
    const { id, maxRetries, operation, payload, timeout, urlParams } = call
    const raw = await sendOn(
      clientFor(call),
      { operation: operations[operation], id, urlParams, payload },
      { signal: controller.signal, timeout, maxRetries }
    )
    return toPlainResponse(raw)
  } catch (error) {
    return { ok: false, error: toPlainError(error) }
  }
}

interface Message {
  readonly id: number
  readonly cancel?: true
  readonly call?: WorkerCall
  readonly signal?: Int32Array
  readonly port?: MessagePort
}

parentPort!.on("message", (message: Message) => {
  if (message.cancel) {
    // The blocked thread gave up waiting: stop the call rather than let it run on.
    running.get(message.id)?.abort()
    return
  }
  const controller = new AbortController()
  running.set(message.id, controller)
  void run(message.call!, controller).then((result) => {
    running.delete(message.id)
    try {
      message.port!.postMessage(result)
    } catch (error) {
      message.port!.postMessage({ ok: false, error: toPlainError(error) } satisfies WorkerResult)
    }
    message.port!.close()
    Atomics.store(message.signal!, 0, 1)
    Atomics.notify(message.signal!, 0)
  })
})

