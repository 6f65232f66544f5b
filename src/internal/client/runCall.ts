/**
 * One call as every form runs it, the Effect operations and the Promise forms alike: sent through
 * the `BytekitClient` in context, its response recorded for `withResponse`, and read, all inside a
 * client span named after the operation when a tracer is installed. Each form passes its own
 * reading: `Account.*` the tagged success or error, the Promise forms a `Response`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Result } from "../../core/result.js"
import { withClientSpan } from "#line/internal/effect.js"
import { fromResult } from "../fromResult.js"
import type { BytekitClient } from "./BytekitClient.js"
import { type Call, type RawResponse, send, type SendError } from "./send.js"
import { recordResponse } from "./withResponse.js"

/**
 * Sends `call` and reads its response with `read`, inside the operation's span.
 *
 * @since 0.1.0
 * @category internals
 */
export const runCall = <A, E>(
  call: Call,
  read: (response: RawResponse) => Result<A, E>
): Effect.Effect<A, SendError | E, BytekitClient> =>
  withClientSpan(
    send(call).pipe(
      Effect.tap(recordResponse),
      Effect.flatMap((response) => fromResult(read(response)))
    ),
    `Account.${call.operation.name}`
  )
