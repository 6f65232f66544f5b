/**
 * Blocking a thread until a worker has made the call, as `fs.readFileSync` blocks on the disk.
 * The worker starts on the first sync call and never keeps the process alive. Node's built-ins are
 * reached through `process.getBuiltinModule` at that first call, so this module imports nothing
 * Node-only and stays loadable in browsers and bundlers.
 *
 * A blocked thread receives no events, so it learns everything through shared memory: the worker
 * wakes it with an answer, and a supervisor thread (sync-supervisor.ts) wakes it when the worker
 * stops or cannot load. A sync call ends with its answer, `Timeout` past the worst case of its
 * retry policy, or `WorkerUnavailable` as soon as the worker is known not to answer.
 */
import type * as WorkerThreads from "node:worker_threads"
import * as Duration from "effect/Duration"
import { defaultTimeout } from "../client/BytekitClient.js"
import { resolveRetryPolicy, worstCaseMillis } from "../client/retry.js"
import type { RawResponse } from "../client/send.js"
import { InvalidInput, Timeout, WorkerUnavailable } from "../../contract/errors.js"
import { operations } from "../../contract/operations.js"
import { syncWarmUp } from "./Client.js"
import { supervisorSource } from "./sync-supervisor.js"
import {
  fromPlainError,
  type WorkerCall,
  type WorkerMessage,
  type WorkerResult,
  workerSlot,
  workerState,
  type WorkerStop
} from "./wire.js"

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown
  readonly execArgv?: Array<string>
  readonly env?: Record<string, string | undefined>
  readonly versions?: Record<string, string | undefined>
  readonly features?: { readonly require_module?: boolean | undefined }
}

/**
 * An answer of the worker, on the one reply port of its thread: the call's id, and its result.
 *
 * @since 0.1.0
 * @category internals
 */
export interface WorkerAnswer {
  readonly id: number
  readonly result: WorkerResult
}

/** A started worker: its supervisor, the ports calls go out and answers come back on, and what they share. */
interface Running {
  readonly supervisor: WorkerThreads.Worker
  readonly calls: WorkerThreads.MessagePort
  readonly stops: WorkerThreads.MessagePort
  /** The answers; its other end goes to the worker with the first call (`handedOver`). */
  readonly replies: WorkerThreads.MessageChannel
  handedOver: boolean
  readonly status: Int32Array
  readonly startedAt: number
  readonly typescript: boolean
}

let current: Running | undefined
let calls = 0
let threads: typeof WorkerThreads | undefined

/** How long the supervisor (which loads nothing of the user's) may take to start. */
const supervisorStartMillis = 10_000
/** Beyond the retry policy's worst case: the worker's own overhead per call. */
const callSlackMillis = 5_000
/** Beyond that, for a call that has to wait for the worker to load (tsx compiling the sources). */
const loadSlackMillis = 30_000

const nodeProcess = (): NodeProcess | undefined => (globalThis as { process?: NodeProcess }).process

const nodeThreads = (): typeof WorkerThreads => {
  if (threads !== undefined) return threads
  const process = nodeProcess()
  if (typeof process?.getBuiltinModule !== "function") {
    throw new WorkerUnavailable({
      sent: false,
      message:
        "The sync forms block on a worker thread and need Node.js 20.16 or later (or Bun, Deno): use asyncio / asyncioDetailed here"
    })
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

/**
 * The worker module beside this one: `sync-worker.ts` when the SDK runs from its TypeScript sources
 * (tsx, vitest), which Node cannot load in a worker alone; in the built package `sync-worker.cjs`
 * where Node can `require` everything it loads (Effect 4 is ECMAScript modules only: Node 20.19+,
 * 22.12+), else `sync-worker.js`. Through `require` Node loads the worker's module graph (most of
 * Effect's HTTP client and Schema) in one synchronous pass, about a fifth faster than through `import`:
 * the first sync call waits for it. The worker is a thread of its own, so the format it loads
 * Effect in is no concern of the caller's.
 */
const workerEntry = (): { readonly url: URL; readonly typescript: boolean } => {
  const extension = /\.[cm]?ts$/.exec(new URL(import.meta.url).pathname)?.[0]
  const process = nodeProcess()
  // Bun and Deno run TypeScript themselves; only Node needs tsx registered in the worker.
  const native = process?.versions?.["bun"] !== undefined || process?.versions?.["deno"] !== undefined
  if (extension !== undefined) return { url: new URL(`./sync-worker${extension}`, import.meta.url), typescript: !native }
  const required = !native && process?.features?.require_module === true
  return { url: new URL(required ? "./sync-worker.cjs" : "./sync-worker.js", import.meta.url), typescript: false }
}

const unavailable = (sent: boolean, message: string) => new WorkerUnavailable({ sent, message })

/** Starts the supervisor, which starts the worker. */
const start = (): Running => {
  const { MessageChannel, Worker } = nodeThreads()
  const process = nodeProcess()
  const entry = workerEntry()
  const status = new Int32Array(new SharedArrayBuffer(8))
  const callChannel = new MessageChannel()
  const stopChannel = new MessageChannel()
  const env = { ...process?.env }
  // The supervisor runs nothing of the user's: no preload from NODE_OPTIONS (the worker gets it).
  const supervisorEnv = { ...env }
  delete supervisorEnv["NODE_OPTIONS"]
  let supervisor: WorkerThreads.Worker
  try {
    supervisor = new Worker(supervisorSource, {
      eval: true,
      execArgv: [],
      env: supervisorEnv,
      workerData: {
        entry: entry.url.href,
        typescript: entry.typescript,
        execArgv: workerExecArgv(process?.execArgv ?? []),
        env,
        status,
        calls: callChannel.port2,
        stops: stopChannel.port2
      },
      transferList: [callChannel.port2, stopChannel.port2]
    })
  } catch (error) {
    throw unavailable(false, `The sync forms could not start their worker thread: ${String((error as Error)?.message ?? error)}`)
  }
  // Neither the threads nor the ports may hold the process open at exit.
  supervisor.unref()
  callChannel.port1.unref()
  stopChannel.port1.unref()
  // One reply port for every call: a channel per call costs more than the rest of the hop.
  const replies = new MessageChannel()
  replies.port1.unref()
  const started: Running = {
    supervisor,
    calls: callChannel.port1,
    stops: stopChannel.port1,
    replies,
    handedOver: false,
    status,
    startedAt: Date.now(),
    typescript: entry.typescript
  }
  // Its exit (or an error, which would otherwise crash the process) lets the next call start anew.
  supervisor.on("error", () => stopUsing(started))
  supervisor.on("exit", () => stopUsing(started))
  return started
}

/** Forgets a worker that stopped: the next sync call starts a new one. */
const stopUsing = (running: Running): void => {
  if (current !== running) return
  current = undefined
  running.calls.close()
  running.stops.close()
  running.replies.port1.close()
  void running.supervisor.terminate()
}

/** What the sync forms throw when their worker stopped; the next call starts a new worker. */
const stoppedError = (running: Running, threads: typeof WorkerThreads): WorkerUnavailable => {
  const stop = threads.receiveMessageOnPort(running.stops)?.message as WorkerStop | undefined
  stopUsing(running)
  const cause = stop?.cause ?? "it stopped"
  if (stop?.phase === "run") {
    return unavailable(true, `The sync forms' worker thread stopped during the call (it may have been sent): ${cause}`)
  }
  const advice = running.typescript
    ? "The SDK is running from its TypeScript sources: install tsx, run the built package, or use asyncio / asyncioDetailed"
    : "A --import/--require preload or loader that fails in worker threads stops it: let it skip worker threads (isMainThread), or use asyncio / asyncioDetailed"
  return unavailable(false, `The sync forms' worker thread could not load: ${cause}. ${advice}`)
}

/**
 * The longest a sync call may block: the worst case of the client's retry policy (with this call's
 * timeout and retries), plus the worker's own overhead. Past it the call fails with `Timeout`.
 *
 * @since 0.1.0
 * @category internals
 */
export const syncDeadlineMillis = (call: WorkerCall): number => {
  const policy = resolveRetryPolicy(call.client.retry, call.maxRetries ?? call.client.maxRetries)
  const timeout = typeof call.timeout === "number"
    ? call.timeout
    : typeof call.client.timeout === "number"
    ? call.client.timeout
    : Duration.toMillis(defaultTimeout)
  return worstCaseMillis(policy, timeout) + callSlackMillis
}

/**
 * Starts the sync forms' worker now, if it is not running, and resolves once it has loaded (or
 * stopped: the next sync call then reports why), at the latest after the load allowance. Never
 * blocks; keeps the process alive only while it waits.
 *
 * @since 0.1.0
 * @category internals
 */
export const warmUpWorker = (): Promise<void> => {
  nodeThreads()
  const running = current ?? (current = start())
  const giveUpAt = Date.now() + supervisorStartMillis + loadSlackMillis
  return new Promise<void>((resolve) => {
    const check = () => {
      const state = Atomics.load(running.status, workerSlot.state)
      if (state === workerState.ready || state === workerState.stopped || current !== running || Date.now() >= giveUpAt) {
        return resolve()
      }
      // Polled: the worker announces it is ready in shared memory only.
      setTimeout(check, 5)
    }
    check()
  })
}

syncWarmUp.start = warmUpWorker

/**
 * Runs a call on the worker and blocks until its response is in.
 *
 * @since 0.1.0
 * @category internals
 */
export const blockingCall = (call: WorkerCall): RawResponse => {
  const threads = nodeThreads()
  const method = operations[call.operation]?.method ?? call.operation
  const url = call.client.baseUrl
  const running = current ?? (current = start())
  const { status } = running
  const id = ++calls
  const loaded = Atomics.load(status, workerSlot.state) === workerState.ready
  const deadline = syncDeadlineMillis(call) + (loaded ? 0 : loadSlackMillis)
  const giveUpAt = Date.now() + deadline
  const replies = running.replies.port1
  {
    // Read before the call goes out, so a wake that comes before the wait is not missed.
    let wakes = Atomics.load(status, workerSlot.wakes)
    try {
      if (running.handedOver) {
        running.calls.postMessage({ id, call } satisfies WorkerMessage)
      } else {
        const port = running.replies.port2
        running.calls.postMessage({ id, call, port } satisfies WorkerMessage, [port])
        running.handedOver = true
      }
    } catch (error) {
      // A body holding functions or class instances cannot cross the thread (DataCloneError).
      throw new InvalidInput({ field: "body", message: `the sync forms take plain data only: ${(error as Error).message}` })
    }
    for (;;) {
      // An answer to an earlier call that gave up waiting is dropped.
      let reply = threads.receiveMessageOnPort(replies)?.message as WorkerAnswer | undefined
      while (reply !== undefined && reply.id !== id) reply = threads.receiveMessageOnPort(replies)?.message as WorkerAnswer | undefined
      const answer = reply?.result
      if (answer !== undefined) {
        if (!answer.ok) throw fromPlainError(answer.error)
        return { status: answer.status, headers: answer.headers as RawResponse["headers"], body: answer.body, attempts: 1 }
      }
      const state = Atomics.load(status, workerSlot.state)
      if (state === workerState.stopped) throw stoppedError(running, threads)
      const now = Date.now()
      if (state === workerState.starting && now - running.startedAt >= supervisorStartMillis) {
        stopUsing(running)
        throw unavailable(false, `The sync forms' worker thread did not start within ${supervisorStartMillis / 1000} s`)
      }
      if (now >= giveUpAt) {
        running.calls.postMessage({ id, cancel: true } satisfies WorkerMessage)
        throw new Timeout({ method, url, timeoutMillis: deadline, message: `no response within ${deadline} ms` })
      }
      const wait = state === workerState.starting
        ? Math.min(giveUpAt - now, running.startedAt + supervisorStartMillis - now)
        : giveUpAt - now
      Atomics.wait(status, workerSlot.wakes, wakes, wait)
      wakes = Atomics.load(status, workerSlot.wakes)
    }
  }
}
