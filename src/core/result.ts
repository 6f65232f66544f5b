/**
 * A success or a failure as plain data: what code shared by both lines passes around where
 * Effect 3 has `Either` and Effect 4 `Result`.
 */
export type Result<A, E> = Success<A> | Failure<E>

/** A success and its value. */
export interface Success<A> {
  readonly ok: true
  readonly value: A
}

/** A failure and its error. */
export interface Failure<E> {
  readonly ok: false
  readonly error: E
}

/** A success holding `value`. */
export const succeed = <A>(value: A): Success<A> => ({ ok: true, value })

/** A failure holding `error`. */
export const fail = <E>(error: E): Failure<E> => ({ ok: false, error })

/** The failure's error mapped, a success kept. */
export const mapError = <A, E, E2>(result: Result<A, E>, f: (error: E) => E2): Result<A, E2> =>
  result.ok ? result : fail(f(result.error))

/** The success's value mapped, a failure kept. */
export const map = <A, E, B>(result: Result<A, E>, f: (value: A) => B): Result<B, E> =>
  result.ok ? succeed(f(result.value)) : result
