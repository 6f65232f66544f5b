/**
 * The `paths` type openapi-typescript would generate for getApiKey from the contract
 * (test/fixtures/bytekit-account.openapi.json), written by hand: what an openapi-fetch user holds.
 */
export interface ApiKeyResponse {
  id: string
  name: string
  prefix: string
  environment: "live" | "test"
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  reveal_available: boolean
}
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}
export interface paths {
  "/v1/account/api-keys/{id}": {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never }
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never }
      requestBody?: never
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": ApiKeyResponse } }
        401: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } }
        404: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } }
      }
    }
  }
}
