/**
 * Joins a body's chunks into one buffer. One chunk that owns its whole buffer is the body as it is;
 * a view into a larger buffer (a socket's read buffer, say) is copied: kept, or sent to another
 * thread, the view would carry the whole buffer.
 *
 * @example
 * ```ts
 * import { concatBytes } from "./bytes.js"
 * concatBytes([new Uint8Array([1]), new Uint8Array([2])], 2) // Uint8Array [1, 2]
 * ```
 * @since 0.1.0
 * @category bytes
 */
export const concatBytes = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.buffer.byteLength === total) return chunks[0]!
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}
