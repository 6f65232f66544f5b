/**
 * Servers in child processes, for the sync forms: a server on the test's own thread would deadlock
 * them. The emulator is the root one (src/emulator), run from its sources with tsx; the fixtures
 * are the root test's, so both lines test against the same servers.
 */
import { fileURLToPath } from "node:url"
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"

/** Starts `node <script> ...args`, reads its first stdout line as JSON, and returns it with a stop function. */
export const startProcess = async <A>(
  script: string,
  args: Array<string> = [],
  nodeArgs: Array<string> = []
): Promise<A & { stop: () => void; kill: (signal: NodeJS.Signals) => void }> => {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ["ignore", "pipe", "inherit"] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve)
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return { ...(JSON.parse(line) as A), stop: () => child.kill("SIGTERM"), kill: (signal) => child.kill(signal) }
}

/** A file of the repository root. */
export const rootFile = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

/** The emulator (the root's, from its sources) in a child process. */
export const startEmulatorProcess = (...args: Array<string>) =>
  startProcess<{ url: string; api_key: string }>(rootFile("src/emulator/bin.ts"), ["--port", "0", "--json", ...args], ["--import", "tsx"])

/** The status server in a child process. */
export const startStatusServer = () => startProcess<{ url: string }>(rootFile("test/fixtures/status-server.mjs"))

/** A session token for a user, minted by the emulator over HTTP. */
export const mintSession = async (url: string, userId = "user_owner"): Promise<string> => {
  const response = await fetch(`${url}/_emulator/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: userId }) })
  return ((await response.json()) as { token: string }).token
}

/** A URL nothing listens on. */
export const closedUrl = async (): Promise<string> => {
  const { createServer } = await import("node:net")
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}
