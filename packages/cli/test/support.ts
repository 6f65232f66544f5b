/**
 * Test support: the real `bytekit` bin run as a child process, the repo's emulator as another,
 * scripted HTTP servers for what the emulator never does, and terminals (tmux, script) for what
 * only happens on one.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process"
import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { inject } from "vitest"

export const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** An environment without the caller's Bytekit variables, colour settings or CI flags. */
export const cleanEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(BYTEKIT_|NO_COLOR$|FORCE_COLOR$)/.test(name)) env[name] = value
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

/** Runs `bytekit args…` (the built bin, through its shebang) and collects what it wrote. */
export const bytekit = (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}): Promise<Run> =>
  new Promise((resolve) => {
    // 45 s: a 429 of 30 s or less is waited out, and the reveal window can leave up to 30 s of it.
    execFile(bin, [...args], { env: cleanEnv(env), timeout: 45_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })

export interface Emulator {
  readonly url: string
  readonly apiKey: string
  readonly env: Record<string, string>
  readonly session: (userId?: string) => Promise<string>
  readonly stop: () => Promise<void>
}

/** The repo's emulator on a free port, with `flags`. */
export const startEmulator = (flags: ReadonlyArray<string> = []): Promise<Emulator> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [inject("emulatorBin"), "--port", "0", "--json", ...flags], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let buffered = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk
      const line = buffered.split("\n")[0]
      if (!buffered.includes("\n") || line === undefined) return
      const ready = JSON.parse(line) as { url: string; api_key: string }
      resolve(emulatorOf(child, ready.url, ready.api_key))
    })
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)))
  })

const emulatorOf = (child: ChildProcess, url: string, apiKey: string): Emulator => ({
  url,
  apiKey,
  env: { BYTEKIT_BASE_URL: url, BYTEKIT_API_KEY: apiKey },
  session: async (userId = "user_member") => {
    const response = await fetch(`${url}/_emulator/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: userId })
    })
    return ((await response.json()) as { token: string }).token
  },
  stop: () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once("exit", () => done())
      child.kill("SIGTERM")
    })
})

/** Calls the emulator's API directly (to set up state or check it), with the given key. */
export const api = async (emulator: Emulator, method: string, path: string, body?: unknown, key = emulator.apiKey) => {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) }
}

export interface Scripted {
  readonly url: string
  readonly close: () => Promise<void>
}

/** A node:http server answering with `handler` on a free loopback port. */
export const scriptedServer = (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Scripted> =>
  new Promise((resolve) => {
    const sockets = new Set<import("node:net").Socket>()
    const server: Server = createServer(handler)
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

/** A proxy to `target` that answers requests matching `fail` itself (e.g. every DELETE with a 503). */
export const faultyProxy = (
  target: string,
  fail: (req: IncomingMessage) => { status: number; body: unknown; headers?: Record<string, string> } | undefined
): Promise<Scripted> =>
  scriptedServer((req, res) => {
    const fault = fail(req)
    if (fault !== undefined) {
      req.resume()
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
      res.end(JSON.stringify(fault.body))
      return
    }
    const url = new URL(req.url ?? "/", target)
    const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })

/** A loopback port nothing listens on (bound, then closed). */
export const closedPort = async (): Promise<number> => {
  const server = await scriptedServer(() => undefined)
  const port = Number(new URL(server.url).port)
  await server.close()
  return port
}

/** Escapes a string for a POSIX shell command line. */
export const sh = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/** The shell command that runs the bin with `env` set. */
export const commandLine = (args: ReadonlyArray<string>, env: Record<string, string>): string =>
  [
    "env",
    ...Object.entries(env).map(([name, value]) => sh(`${name}=${value}`)),
    sh(bin),
    ...args.map(sh)
  ].join(" ")

/**
 * Runs the bin on a pseudo-terminal (util-linux `script`), stdin from /dev/null, and returns every
 * byte it wrote there (progress frames and colours included) and its exit status.
 */
export const onTerminal = (args: ReadonlyArray<string>, env: Record<string, string>, extraEnv: Record<string, string | undefined> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      "script",
      ["-qfec", commandLine(args, env), "/dev/null"],
      { env: cleanEnv({ TERM: "xterm-256color", ...extraEnv }), timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resolve({ code, stdout, stderr })
      }
    )
  })

/** A tmux session on its own socket, for a command that talks to the person at the terminal. */
export const tmux = (name: string) => {
  const socket = `bytekit-cli-test-${process.pid}-${name}`
  const run = (...args: Array<string>) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" })
  return {
    start: (command: string) => run("new-session", "-d", "-x", "200", "-y", "50", "-s", name, command),
    send: (...keys: Array<string>) => void run("send-keys", "-t", name, ...keys),
    screen: () => run("capture-pane", "-p", "-t", name),
    kill: () => {
      try {
        run("kill-server")
      } catch {
        // already gone
      }
    }
  }
}

/** Polls `check` until it is true (or throws after `millis`). */
export const eventually = async (check: () => boolean, millis = 10_000, what = "condition"): Promise<void> => {
  const end = Date.now() + millis
  while (Date.now() < end) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}
