/**
 * The contract in code: the `HttpApi` definition of the Account resource and the OpenAPI
 * document generated from it.
 *
 * @since 0.1.0
 */
export * from "#line/contract/api.js"
export * from "./operations.js"
export * from "#line/contract/openapi.js"
