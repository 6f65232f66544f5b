/**
 * The sync forms' worker: runs each call with the async machinery and hands back plain data,
 * then wakes the blocked thread. Clients are kept per options, so connections are reused. Started
 * by the supervisor (sync-supervisor.ts), which reports to the blocked thread if it stops.
 */
import type { MessagePort } from "node:worker_threads"
import { parentPort, workerData } from "node:worker_threads"
import { operations } from "../../contract/operations.js"
import type { WorkerAnswer } from "./blocking.js"
import { type Client, fromPlainOptions, runOn } from "./Client.js"
import { succeed } from "../../core/result.js"
import {
  toPlainError,
  toPlainResponse,
  type WorkerCall,
  type WorkerMessage,
  type WorkerResult,
  workerSlot,
  workerState
} from "./wire.js"

// Deno gives workers a `location` whose origin is "null", which Effect's HTTP client would resolve
// absolute request URLs against (and fail); requests here are always absolute.
if ((globalThis as { location?: { origin?: string } }).location?.origin === "null") {
  Reflect.deleteProperty(globalThis, "location")
}

const clients = new Map<string, Client>()
const maxClients = 16
const running = new Map<number, AbortController>()
let replies: MessagePort | undefined

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
    const raw = await runOn(
      clientFor(call),
      { operation: operations[operation], id, urlParams, payload },
      succeed,
      { signal: controller.signal, timeout, maxRetries }
    )
    return toPlainResponse(raw)
  } catch (error) {
    return { ok: false, error: toPlainError(error) }
  }
}

const { status } = workerData as { readonly status: Int32Array }

/** Wakes the blocked thread: an answer is on its port. */
const wake = () => {
  Atomics.add(status, workerSlot.wakes, 1)
  Atomics.notify(status, workerSlot.wakes)
}

const onMessage = (message: WorkerMessage) => {
  if (message.cancel) {
    // The blocked thread gave up waiting: stop the call rather than let it run on.
    running.get(message.id)?.abort()
    return
  }
  const { call, id } = message
  // The reply port comes with the first call, and serves every call after it.
  if (message.port !== undefined) replies = message.port
  const port = replies!
  const controller = new AbortController()
  running.set(id, controller)
  void run(call, controller).then((result) => {
    running.delete(id)
    try {
      port.postMessage({ id, result } satisfies WorkerAnswer)
    } catch (error) {
      port.postMessage({ id, result: { ok: false, error: toPlainError(error) } } satisfies WorkerAnswer)
    }
    wake()
  })
}

// The supervisor hands over the port calls arrive on once this module has loaded: from then on
// the worker is ready (unless its supervisor already reported it stopped).
parentPort!.once("message", ({ calls }: { readonly calls: MessagePort }) => {
  calls.on("message", onMessage)
  Atomics.compareExchange(status, workerSlot.state, workerState.supervised, workerState.ready)
})
