/**
 * A call's outcome as a plain value, the same in both lines: Effect 3 answers `Either` (Right/Left),
 * Effect 4 `Result` (Success/Failure, which already has this shape). `#line-test/line.js` builds it.
 */
export type Outcome<A, E> =
  | { readonly _tag: "Success"; readonly success: A }
  | { readonly _tag: "Failure"; readonly failure: E }

export const isSuccess = <A, E>(self: Outcome<A, E>): self is Extract<Outcome<A, E>, { _tag: "Success" }> =>
  self._tag === "Success"

export const isFailure = <A, E>(self: Outcome<A, E>): self is Extract<Outcome<A, E>, { _tag: "Failure" }> =>
  self._tag === "Failure"

/** The success, or throws the failure. */
export const getOrThrow = <A, E>(self: Outcome<A, E>): A => {
  if (self._tag === "Success") return self.success
  throw self.failure
}
