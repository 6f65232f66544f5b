/**
 * Servers in child processes, for the sync forms: a server on the test's own thread would deadlock
 * them. Paths are the line's (its build) or this directory's (the fixtures), whatever the cwd.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { lineRoot } from "#line-test/line.js"

/** A file under test/fixtures (the shared ones). */
export const fixture = (path: string): string => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url))

/** Starts `node <script> ...args`, reads its first stdout line as JSON, and returns it with a stop function. */
export const startProcess = async <A>(
  script: string,
  args: Array<string> = []
): Promise<A & { stop: () => void; kill: (signal: NodeJS.Signals) => void }> => {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve)
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return { ...(JSON.parse(line) as A), stop: () => child.kill("SIGTERM"), kill: (signal) => child.kill(signal) }
}

/** The line's built emulator in a child process. */
export const startEmulatorProcess = (...args: Array<string>) =>
  startProcess<{ url: string; api_key: string }>(join(lineRoot, "dist/emulator-bin.js"), ["--port", "0", "--json", ...args])

/** The status server in a child process. */
export const startStatusServer = () => startProcess<{ url: string }>(fixture("status-server.mjs"))

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
