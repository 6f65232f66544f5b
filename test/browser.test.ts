/**
 * The browser page (examples/browser) in headless Chromium: sign in with a session token minted by
 * the emulator, list, create, reveal and revoke, over CORS from another origin. Needs Debian's
 * chromium (CI installs it); skipped without it unless BYTEKIT_REQUIRE_BROWSER=1.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { extname, join } from "node:path"
import { type Browser, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "#line/emulator/server.js"
import { line } from "#line-test/line.js"

const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const available = existsSync(executablePath)
if (!available && process.env["BYTEKIT_REQUIRE_BROWSER"] === "1") {
  throw new Error(`BYTEKIT_REQUIRE_BROWSER=1 but there is no Chromium at ${executablePath}`)
}

const pageDir = new URL("../examples/browser/", import.meta.url).pathname
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".map": "application/json" }

let emulator: Emulator
let site: Server
let siteUrl: string
let browser: Browser

describe.skipIf(!available)("the browser dashboard", () => {
  beforeAll(async () => {
    // The one page, bundled from this line's build (its dist and its Effect).
    execFileSync(process.execPath, [join(pageDir, "build.mjs"), "--line", line.slice(0, 1)], { stdio: "inherit" })
    emulator = await startEmulator()
    // The page comes from its own origin, so every API call is cross-origin (CORS).
    site = createServer((req, res) => {
      const path = join(pageDir, (req.url ?? "/").split("?")[0] === "/" ? "index.html" : (req.url ?? "").split("?")[0]!)
      if (!path.startsWith(pageDir) || !existsSync(path)) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path))
    })
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve))
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    })
  })
  afterAll(async () => {
    await browser?.close()
    site?.close()
    await emulator?.stop()
  })

  it("signs in, lists, creates, reveals and revokes a key", async () => {
    const page = await browser.newPage()
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(error.message))
    await page.goto(`${siteUrl}/?api=${encodeURIComponent(emulator.url)}`)

    await page.click("#sign-in")
    await expect.poll(() => page.textContent("#who")).toBe("Signed in to Demo Co (acct_demo)")
    await page.waitForSelector("#keys tr")
    expect(await page.locator("#keys tr").count()).toBe(1)

    await page.click("#create")
    await page.waitForSelector("#keys tr:has-text('Browser key')")
    const row = page.locator("#keys tr:has-text('Browser key')")
    const id = await row.getAttribute("data-id")
    expect(id).toMatch(/^ak_/)

    await row.locator("button.reveal").click()
    await page.waitForSelector("#revealed:not([hidden])")
    const plaintext = (await page.textContent("#revealed-key")) ?? ""
    expect(plaintext).toMatch(/^sk_test_[0-9A-Za-z]{40}$/)
    // What the page revealed is the real key: it authenticates.
    const check = await fetch(`${emulator.url}/v1/account`, { headers: { authorization: `Bearer ${plaintext}` } })
    expect(check.status).toBe(200)

    await row.locator("button.revoke").click()
    await page.waitForSelector(`#keys tr.revoked[data-id="${id}"]`)
    expect(await page.textContent("#error")).toBe("")
    expect(errors).toEqual([])

    mkdirSync("test-results", { recursive: true })
    await page.screenshot({ path: "test-results/browser-dashboard.png", fullPage: true })
    await page.close()
  })
})
