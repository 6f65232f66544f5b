// A fixed-response Bytekit in its own process: every request gets the same ApiKeyResponse, so a
// benchmark measures the client, not the server.
import { createServer } from "node:http"

const body = JSON.stringify({
  id: "ak_bench",
  name: "Benchmark key",
  prefix: "sk_test_AbCd",
  environment: "test",
  created_at: "2026-01-01T00:00:00.000Z",
  last_used_at: null,
  revoked_at: null,
  reveal_available: true
})
const headers = {
  "content-type": "application/json",
  "content-length": Buffer.byteLength(body),
  "x-ratelimit-limit": "1000",
  "x-ratelimit-remaining": "999",
  "x-ratelimit-reset": "1900000000"
}
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume()
  res.writeHead(200, headers)
  res.end(body)
})
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`)
})
process.on("SIGTERM", () => process.exit(0))
