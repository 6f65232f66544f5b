/**
 * Blocking a thread until a worker has made the call, as `fs.readFileSync` blocks on the disk.
 * The worker starts on the first sync call and never keeps the process alive. Node's built-ins are
 * reached through `process.getBuiltinModule` at that first call, so this module imports nothing
 * Node-only and stays loadable in browsers and bundlers.
 */
import type * as WorkerThreads from "node:worker_threads"
import { InvalidInput, Timeout, TransportError } from "../contract/errors.js"
import type { RawResponse } from "../client/send.js"
import { fromPlainError, type WorkerCall, type WorkerResult } from "./wire.js"

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown
}

let worker: WorkerThreads.Worker | undefined
let calls = 0
let threads: typeof WorkerThreads | undefined

const nodeThreads = (): typeof WorkerThreads => {
  if (threads !== undefined) return threads
  const process = (globalThis as { process?: NodeProcess }).process
  if (typeof process?.getBuiltinModule !== "function") {
    throw new Error(
      "The sync forms block on a worker thread and need Node.js 20.16 or later: use asyncio / asyncioDetailed here"
    )
  }
  threads = process.getBuiltinModule("node:worker_threads") as typeof WorkerThreads
  return threads
}

/**
 * The parent's Node flags minus `-e`/`-p` and their script: a worker inherits the flags, and would
 * run a `node -e` script again (and block on itself) if it kept them.
 */
const evalFlags = new Set(["-e", "--eval", "-p", "--print", "-pe", "--input-type"])

const workerExecArgv = (argv: ReadonlyArray<string>): Array<string> => {
  const kept: Array<string> = []
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    if (evalFlags.has(flag)) i++ // and its value
    else if (!/^--(eval|print|input-type)=/.test(flag)) kept.push(flag)
  }
  return kept
}

const startWorker = (): WorkerThreads.Worker => {
  if (worker !== undefined) return worker
  const { Worker } = nodeThreads()
  const url = new URL("./sync-worker.js", import.meta.url)
  const argv = (globalThis as { process?: { execArgv?: Array<string> } }).process?.execArgv ?? []
  const execArgv = workerExecArgv(argv)
  try {
    // Inherit the flags as they are unless an eval script has to be dropped from them.
    worker = new Worker(url, execArgv.length === argv.length ? {} : { execArgv })
  } catch {
    // Some flags are refused when given to a worker explicitly: start it with none.
    worker = new Worker(url, { execArgv: [] })
  }
  // The worker must never hold the process open at exit.
  worker.unref()
  worker.on("error", () => {
    worker = undefined
  })
  worker.on("exit", () => {
    worker = undefined
  })
  return worker
}

/** The longest a sync call may block: every attempt timing out, every retry waiting a full minute. */
const deadlineMillis = (call: WorkerCall): number => {
  const attempts = 1 + (call.maxRetries ?? call.client.maxRetries ?? 2)
  const perAttempt = typeof call.timeout === "number"
    ? call.timeout
    : typeof call.client.timeout === "number"
    ? call.client.timeout
    : 60_000
  return attempts * perAttempt + (attempts - 1) * 60_000 + 5_000
}

/**
 * Runs a call on the worker and blocks until its response is in.
 *
 * @since 0.1.0
 * @category internals
 */
export const blockingCall = (call: WorkerCall): RawResponse => {
  const { MessageChannel, receiveMessageOnPort } = nodeThreads()
  const target = startWorker()
  const id = ++calls
  const signal = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  try {
    try {
      target.postMessage({ id, call, signal, port: port2 }, [port2])
    } catch (error) {
      // A body holding functions or class instances cannot cross the thread (DataCloneError).
      throw new InvalidInput({ field: "body", message: `the sync forms take plain data only: ${(error as Error).message}` })
    }
    const deadline = deadlineMillis(call)
    if (Atomics.wait(signal, 0, 0, deadline) === "timed-out") {
      target.postMessage({ id, cancel: true })
      throw new Timeout({
        method: call.operation,
        url: call.client.baseUrl,
        timeoutMillis: deadline,
        message: `no response within ${deadline} ms`
      })
    }
    const message = receiveMessageOnPort(port1)?.message as WorkerResult | undefined
    if (message === undefined) {
      throw new TransportError({ method: call.operation, url: call.client.baseUrl, message: "the worker gave no result", sent: true })
    }
    if (!message.ok) throw fromPlainError(message.error)
    return { status: message.status, headers: message.headers as RawResponse["headers"], body: message.body, attempts: 1 }
  } finally {
    port1.close()
  }
}
