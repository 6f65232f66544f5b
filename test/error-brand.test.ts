/**
 * `isBytekitError`: every SDK error class carries one brand, recognised whichever form raised the
 * error (the Effect API, a Promise form, a sync form through its worker thread), whichever copy of
 * the package built it (the source, the build) and whichever line (this one, or the other line's build).
 */
import * as getAccount from "bytekit-effect/api/account/getAccount"
import * as getApiKey from "bytekit-effect/api/account/getApiKey"
import { AuthenticatedClient, isBytekitError as isBytekitErrorOfBuild } from "bytekit-effect/client"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Errors from "#line/contract/errors.js"
import { Account, isBytekitError } from "#line/index.js"
import { Headers } from "#line-test/http.js"
import { otherLine } from "#line-test/line.js"
import { closedUrl, startStatusServer } from "#line-test/processes.js"
import { clientLayer } from "#line-test/support.js"

/** Every exported error class of an errors module (a class whose instances are Errors). */
const errorClasses = (module: Record<string, unknown>) =>
  Object.entries(module).filter(([, value]) => typeof value === "function" && value.prototype instanceof Error) as Array<
    [string, new(...args: Array<never>) => Error]
  >

let statusServer: Awaited<ReturnType<typeof startStatusServer>>
let unreachable: string
let client: AuthenticatedClient
let closedClient: AuthenticatedClient

beforeAll(async () => {
  ;[statusServer, unreachable] = await Promise.all([startStatusServer(), closedUrl()])
  // The status server answers 418, a status no operation documents: raised as UnexpectedStatus.
  client = new AuthenticatedClient({ baseUrl: statusServer.url, token: "sk_test_brand", raiseOnUnexpectedStatus: true, maxRetries: 0 })
  closedClient = new AuthenticatedClient({ baseUrl: unreachable, token: "sk_test_brand", maxRetries: 0 })
})
afterAll(async () => {
  statusServer?.stop()
  await Promise.all([client?.dispose(), closedClient?.dispose()])
})

describe("every SDK error class is branded", () => {
  it("each exported error class of the errors module is recognised", () => {
    const classes = errorClasses(Errors)
    expect(classes.map(([name]) => name).sort()).toEqual([
      "Conflict",
      "Defect",
      "Forbidden",
      "InternalServerError",
      "InvalidInput",
      "InvalidRequest",
      "MalformedResponse",
      "NotFound",
      "QuotaExceeded",
      "RateLimited",
      "RedirectRefused",
      "ResponseTooLarge",
      "Timeout",
      "TransportError",
      "Unauthorized",
      "UnexpectedStatus",
      "ValidationFailed",
      "WorkerUnavailable"
    ])
    for (const [name, ErrorClass] of classes) {
      expect(isBytekitError(Object.create(ErrorClass.prototype)), name).toBe(true)
    }
  })

  it("a built error is recognised: the brand is on the prototype, not an own property", () => {
    const error = new Errors.InvalidInput({ field: "id", message: "id is empty" })
    expect(isBytekitError(error)).toBe(true)
    expect(Object.getOwnPropertySymbols(error)).not.toContain(Symbol.for("bytekit-effect/BytekitError"))
  })

  it(`the ${otherLine.name} line's errors (its build, on its Effect) are recognised by this line's guard, and the other way round`, async () => {
    const Other = await otherLine.build()
    const classes = errorClasses(Other).filter(([name]) => name in Errors)
    expect(classes.length).toBe(errorClasses(Errors).length)
    for (const [name, ErrorClass] of classes) {
      expect(isBytekitError(Object.create(ErrorClass.prototype)), name).toBe(true)
    }
    expect(Other.isBytekitError(new Errors.NotFound({ status: 404, code: "not_found", message: "", details: {}, headers: Headers.empty }))).toBe(true)
  })
})

describe("errors raised by every kind of call are recognised", () => {
  it("an error from the Effect API", async () => {
    const error = await Effect.runPromise(Account.getApiKey("ak_1").pipe(Effect.flip, Effect.provide(clientLayer(unreachable))))
    expect(error._tag).toBe("TransportError")
    expect(isBytekitError(error)).toBe(true)
  })

  it("errors from a Promise form (asyncio), built by the package's build", async () => {
    const unexpected = await getAccount.asyncio(client).then(() => undefined, (e: unknown) => e)
    const transport = await getAccount.asyncio(closedClient).then(() => undefined, (e: unknown) => e)
    expect([unexpected, transport].map((e) => (e as { _tag?: string })._tag)).toEqual(["UnexpectedStatus", "TransportError"])
    for (const error of [unexpected, transport]) {
      expect(isBytekitError(error)).toBe(true)
      expect(isBytekitErrorOfBuild(error)).toBe(true)
    }
  })

  it("an error from a sync form, which crossed the worker thread", () => {
    let error: unknown
    try {
      getApiKey.sync("ak_1", closedClient)
    } catch (e) {
      error = e
    }
    expect(isBytekitError(error)).toBe(true)
    expect(isBytekitErrorOfBuild(error)).toBe(true)
    expect((error as { _tag: string })._tag).toBe("TransportError")
  })

  it("an input error a form raises before sending", async () => {
    const error = await getApiKey.asyncio("", client).then(() => undefined, (e: unknown) => e)
    expect((error as { _tag?: string })._tag).toBe("InvalidInput")
    expect(isBytekitErrorOfBuild(error)).toBe(true)
  })
})

describe("what is not an SDK error is not recognised", () => {
  it("a plain Error, a look-alike with the same _tag, and non-objects", () => {
    expect(isBytekitError(new Error("boom"))).toBe(false)
    expect(isBytekitError({ _tag: "NotFound", message: "look-alike" })).toBe(false)
    expect(isBytekitError(Object.assign(new Error("x"), { _tag: "TransportError" }))).toBe(false)
    expect(isBytekitError(null)).toBe(false)
    expect(isBytekitError(undefined)).toBe(false)
    expect(isBytekitError("NotFound")).toBe(false)
    expect(isBytekitError(404)).toBe(false)
  })
})
