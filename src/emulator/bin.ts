#!/usr/bin/env node
/**
 * `bytekit-emulator`: runs the emulator until interrupted.
 *
 *   bytekit-emulator [--port 4010] [--host 127.0.0.1] [--environment test|live]
 *                    [--rate-limit <per second>] [--reveal-limit <per minute>] [--data <file>]
 *                    [--cors-origin <origin>]... [--max-buffered-bytes N] [--headers-timeout MS]
 *                    [--request-timeout MS] [--legacy-key] [--sealing-key-file <file>] [--json]
 *
 * The sealing key can also come from BYTEKIT_EMULATOR_SEALING_KEY (32 bytes, base64 or hex).
 */
import { parseArgs } from "node:util"
import { DataFileError } from "./datafile.js"
import { startEmulator } from "./server.js"

const usage = "usage: bytekit-emulator [--port 4010] [--host 127.0.0.1] [--environment test|live] " +
  "[--rate-limit N] [--reveal-limit N] [--data FILE] [--cors-origin ORIGIN]... [--max-buffered-bytes N] " +
  "[--headers-timeout MS] [--request-timeout MS] [--legacy-key] [--sealing-key-file FILE] [--json]"

const fail = (message: string): never => {
  process.stderr.write(`bytekit-emulator: ${message}\n${usage}\n`)
  process.exit(2)
}

const integer = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined
  const number = Number(value)
  return Number.isInteger(number) && number >= min ? number : fail(`--${name} must be an integer >= ${min}`)
}

const main = async () => {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: "string", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        environment: { type: "string", default: "test" },
        "rate-limit": { type: "string" },
        "reveal-limit": { type: "string" },
        data: { type: "string" },
        "sealing-key-file": { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        "max-buffered-bytes": { type: "string" },
        "headers-timeout": { type: "string" },
        "request-timeout": { type: "string" },
        "legacy-key": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false }
      }
    }))
  } catch (error) {
    return fail((error as Error).message)
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return
  }
  if (values.environment !== "test" && values.environment !== "live") fail("--environment must be test or live")
  const emulator = await startEmulator({
    port: integer("port", values.port, 0),
    host: values.host,
    environment: values.environment as "test" | "live",
    rateLimit: integer("rate-limit", values["rate-limit"], 1),
    revealLimit: integer("reveal-limit", values["reveal-limit"], 0),
    dataFile: values.data,
    sealingKeyFile: values["sealing-key-file"],
    sealingKey: process.env["BYTEKIT_EMULATOR_SEALING_KEY"] || undefined,
    corsOrigins: values["cors-origin"],
    maxBufferedBytes: integer("max-buffered-bytes", values["max-buffered-bytes"], 1),
    headersTimeout: integer("headers-timeout", values["headers-timeout"], 1),
    requestTimeout: integer("request-timeout", values["request-timeout"], 1)
  })
  // A key made before reveal existed (reveal answers 409 reveal_unavailable); a restored one is reused.
  const legacyKeyId = values["legacy-key"]
    ? emulator.app.store.list(emulator.seed.accountId, false).find((key) => key.sealed === null)?.id ?? emulator.seedLegacyKey()
    : undefined
  if (values.json) {
    const ready = { url: emulator.url, api_key: emulator.apiKey, ...(legacyKeyId === undefined ? {} : { legacy_key_id: legacyKeyId }) }
    process.stdout.write(`${JSON.stringify(ready)}\n`)
  } else {
    process.stdout.write(
      [
        `Bytekit emulator listening on ${emulator.url}`,
        `  API key (account ${emulator.seed.accountId}): ${emulator.apiKey}`,
        ...(legacyKeyId === undefined ? [] : [`  Legacy key id:  ${legacyKeyId} (reveal answers 409 reveal_unavailable)`]),
        `  Session token:  curl -s ${emulator.url}/_emulator/session -H 'content-type: application/json' -d '{"user_id":"${emulator.seed.ownerUserId}"}'`,
        `  Try:            curl -s ${emulator.url}/v1/account -H "Authorization: Bearer $BYTEKIT_API_KEY"`,
        ""
      ].join("\n")
    )
  }
  const shutdown = () => void emulator.stop().then(() => process.exit(0))
  process.once("SIGINT", shutdown)
  process.once("SIGTERM", shutdown)
}

main().catch((error: unknown) => {
  // Data that does not load: one line naming the file and the problem, exit 1 (not a usage error).
  if (error instanceof DataFileError) {
    process.stderr.write(`bytekit-emulator: ${error.message}\n`)
    process.exit(1)
  }
  fail(error instanceof Error ? error.message : String(error))
})
