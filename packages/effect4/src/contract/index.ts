/**
 * The contract in code: the `HttpApi` definition of the Account resource and the OpenAPI
 * document generated from it.
 *
 * @since 0.1.0
 */
export * from "./api.js"
export * from "./operations.js"
export * from "./openapi.js"
