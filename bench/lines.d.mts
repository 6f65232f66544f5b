// Types for lines.mjs (plain JavaScript so that a missing 2.x dist/ never fails the type check).
export type Line = "1.x" | "2.x"
export interface CallPath {
  readonly one: () => Promise<unknown> | unknown
  readonly many?: (n: number) => Promise<unknown>
}
export interface LoadedLine {
  readonly line: Line
  readonly fastLabel: string
  /** The fast transport is the line's own `bytekit-effect/node` layer, its documented Node default. */
  readonly fastIsNodeDefault: boolean
  readonly effectDefault: Required<CallPath>
  readonly effectFast: Required<CallPath>
  readonly asyncio: Required<CallPath>
  readonly sync: CallPath
  readonly dispose: () => Promise<unknown>
}
export declare const lineDirs: Record<Line, { readonly dist: string; readonly effect: string }>
export declare const lineAvailable: (line: Line) => boolean
export declare const pool: (one: () => Promise<unknown>) => (n: number) => Promise<void>
export declare const loadLine: (line: Line, baseUrl: string, token: string) => Promise<LoadedLine>
export declare const snapshotLines: () => Promise<string>
export declare const lineBuilt: (line: Line) => boolean
