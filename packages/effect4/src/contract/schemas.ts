/**
 * The Schema building blocks of the models that Effect 4 spells differently from Effect 3, for the
 * 2.x line; src/contract/schemas.ts is its 1.x twin. The models themselves (models.ts) are shared.
 *
 * @since 2.0.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { loneSurrogate, nameMessage } from "#line/core/checks.js"
import type { ErrorResponse } from "#line/contract/models.js"

/** An ISO 8601 timestamp, as text. */
export const Timestamp = Schema.String.annotate({ format: "date-time" })

/** `live` or `test`. */
export const Environment = Schema.Literals(["live", "test"])

/** A plaintext key: decoded to `Redacted`, so it never shows in logs. */
export const RedactedString = Schema.RedactedFromValue(Schema.String)

/** An object of anything, by string keys (an error's `details`). */
export const Details = Schema.Record(Schema.String, Schema.Unknown)

/**
 * A field the contract only assumes: optional, and a value that does not fit (another type, null,
 * an unknown enum member) decodes to undefined rather than failing the body it is in.
 */
export const assumed = <S extends Schema.Top>(schema: S) =>
  // Option.none: the field is left out, as if the server had not sent it.
  Schema.optional(schema.pipe(Schema.catchDecoding(() => Effect.succeed(Option.none()))))

/** Either of two schemas, named `identifier` in generated documents. */
export const oneOf = <A extends Schema.Top, B extends Schema.Top>(a: A, b: B, identifier: string) =>
  Schema.Union([a, b]).annotate({ identifier })

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
 * @since 2.0.0
 * @category models
 */
export const ApiKeyName = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.check(
      Schema.makeFilter((name: string) => (name.trim().length >= 1 && name.trim().length <= 100) || nameMessage),
      // A lone surrogate has no UTF-8 form: no server could store it as sent.
      Schema.makeFilter((name: string) => !loneSurrogate.test(name) || "name must not contain a lone UTF-16 surrogate")
    ),
    SchemaTransformation.transform({ decode: (name: string) => name.trim(), encode: (name: string) => name.trim() })
  )
).annotate({ description: nameMessage })

/**
 * Decodes an error body in either published form to `envelope`: the envelope itself, or the flat
 * form one published example uses (`{"error": "code", "message": "..."}`).
 */
export const errorBodyOf = (envelope: typeof ErrorResponse) => {
  const FlatErrorBody = Schema.Struct({
    error: Schema.String,
    message: Schema.String.pipe(Schema.withDecodingDefaultType(Effect.succeed(""))),
    details: Schema.optional(Details)
  })
  return Schema.Union([
    envelope,
    FlatErrorBody.pipe(
      Schema.decodeTo(
        Schema.toType(envelope),
        SchemaTransformation.transform<ErrorResponse, typeof FlatErrorBody.Type>({
          decode: ({ details, error, message }) =>
            new envelope({ error: details === undefined ? { code: error, message } : { code: error, message, details } }),
          encode: (body: ErrorResponse) => ({ error: body.error.code, message: body.error.message })
        })
      )
    )
  ])
}
