/**
 * The Schema building blocks of the models that Effect 3 spells differently from Effect 4, for the
 * 1.x line; packages/effect4/src/contract/schemas.ts is its 2.x twin. The models themselves
 * (models.ts) are shared: a new model is written once.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { loneSurrogate, nameMessage } from "../core/checks.js"
import type { ErrorResponse } from "./models.js"

/** An ISO 8601 timestamp, as text. */
export const Timestamp = Schema.String.annotations({ format: "date-time" })

/** `live` or `test`. */
export const Environment = Schema.Literal("live", "test")

/** A plaintext key: decoded to `Redacted`, so it never shows in logs. */
export const RedactedString = Schema.Redacted(Schema.String)

/** An object of anything, by string keys (an error's `details`). */
export const Details = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * A field the contract only assumes: optional, and a value that does not fit (another type, null,
 * an unknown enum member) decodes to undefined rather than failing the body it is in.
 */
export const assumed = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.optional(schema.annotations({ decodingFallback: () => Either.right(undefined as A) }))

/** Either of two schemas, named `identifier` in generated documents. */
export const oneOf = <A extends Schema.Schema.Any, B extends Schema.Schema.Any>(a: A, b: B, identifier: string) =>
  Schema.Union(a, b).annotations({ identifier })

/**
 * A key's name: 1 to 100 characters after trimming (the contract's assumption), the one rule the
 * SDK's input check and the emulator share. Decoding (and encoding) trims, so the SDK sends the
 * trimmed name; a name of only spaces is refused.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ApiKeyName } from "bytekit-effect"
 * Schema.decodeUnknownSync(ApiKeyName)("  CI  ") // "CI"
 * ```
 * @since 0.1.0
 * @category models
 */
export const ApiKeyName = Schema.transform(
  Schema.String,
  Schema.String.pipe(
    Schema.filter((name) => name.trim().length >= 1 && name.trim().length <= 100, { message: () => nameMessage }),
    // A lone surrogate has no UTF-8 form: no server could store it as sent.
    Schema.filter((name) => !loneSurrogate.test(name), { message: () => "name must not contain a lone UTF-16 surrogate" })
  ),
  { strict: true, decode: (name) => name.trim(), encode: (name) => name.trim() }
).annotations({ jsonSchema: { type: "string", minLength: 1, maxLength: 100 }, description: nameMessage })

/**
 * Decodes an error body in either published form to `envelope`: the envelope itself, or the flat
 * form one published example uses (`{"error": "code", "message": "..."}`).
 */
export const errorBodyOf = (envelope: typeof ErrorResponse) => {
  const FlatErrorBody = Schema.Struct({
    error: Schema.String,
    message: Schema.optionalWith(Schema.String, { default: () => "" }),
    details: Schema.optional(Details)
  })
  return Schema.Union(
    envelope,
    Schema.transform(FlatErrorBody, Schema.typeSchema(envelope), {
      strict: true,
      decode: ({ details, error, message }) =>
        new envelope({ error: details === undefined ? { code: error, message } : { code: error, message, details } }),
      encode: (body) => ({ error: body.error.code, message: body.error.message })
    })
  )
}
