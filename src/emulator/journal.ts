/**
 * The journal beside the data file: one JSON line per change, written and fsync'd before the change
 * is applied or answered, so a change costs one small append whatever the history. Lines are
 * numbered (`seq`); the data file records the last number it includes, so replaying a journal the
 * data file already holds changes nothing. A torn last line (a crash mid-write) is dropped.
 */
import { closeSync, constants, fdatasyncSync, ftruncateSync, openSync, readFileSync } from "node:fs"
import { dirname } from "node:path"
import { DataFileError, decodeEntry, describeIssue, type EntryData, fsyncDirectory, Issue, jsonProblem, writeAll } from "./datafile.js"

/** What a journal holds past the data file, and where its last whole line ends. */
export interface Replay {
  /** Entries numbered after the data file's `seq`, in order. */
  readonly entries: ReadonlyArray<{ readonly entry: EntryData; readonly line: number }>
  /** Bytes up to the end of the last good line. */
  readonly goodLength: number
  /** Whether anything follows the last good line (a torn write). */
  readonly torn: boolean
  /** Whether the journal holds anything at all. */
  readonly nonEmpty: boolean
}

/**
 * Reads the journal; entries numbered up to `afterSeq` are already in the data file and skipped.
 * Throws `DataFileError` for a bad line with good lines after it (not a torn write: damage) or
 * numbers out of order.
 */
export const readJournal = (path: string, afterSeq: number): Replay => {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === "ENOENT") return { entries: [], goodLength: 0, torn: false, nonEmpty: false }
    throw new DataFileError(path, `cannot be read (${code ?? String(error)})`)
  }
  const entries: Array<{ entry: EntryData; line: number }> = []
  let expected = afterSeq + 1
  let start = 0
  let line = 0
  while (start < bytes.length) {
    line++
    const end = bytes.indexOf(0x0a, start)
    let problem: string | undefined
    let entry: EntryData | undefined
    if (end === -1) {
      problem = "is cut short"
    } else {
      let json: unknown
      try {
        json = JSON.parse(bytes.subarray(start, end).toString("utf8"))
        const decoded = decodeEntry(json)
        if (decoded instanceof Issue) problem = describeIssue(decoded)
        else entry = decoded
      } catch (error) {
        problem = `is not valid JSON (${jsonProblem(error)})`
      }
    }
    if (entry === undefined) {
      // The last line may be torn by a crash; a bad line with good ones after it is damage.
      // (A crash can also leave zeros past the end of a file: nothing but blanks after is still a tail.)
      const last = end === -1 || bytes.subarray(end + 1).every((byte) => byte === 0x0a || byte === 0x20 || byte === 0x00)
      if (last) return { entries, goodLength: start, torn: true, nonEmpty: true }
      throw new DataFileError(path, `line ${line} ${problem ?? "is not a journal entry"}; the journal is damaged`)
    }
    if (entry.seq > afterSeq) {
      if (entry.seq !== expected) {
        throw new DataFileError(path, `line ${line} is change ${entry.seq} where change ${expected} was expected; the journal is damaged`)
      }
      entries.push({ entry, line })
      expected++
    } else if (expected !== afterSeq + 1) {
      throw new DataFileError(path, `line ${line} is change ${entry.seq}, already in the data file, after newer changes; the journal is damaged`)
    }
    start = end! + 1
  }
  return { entries, goodLength: start, torn: false, nonEmpty: bytes.length > 0 }
}

/**
 * Appends lines, each written at the end of the last good line and fsync'd. A failed append is
 * taken back (truncated) before anything else is written, so the journal only ever holds whole,
 * acknowledged changes, plus at most a torn tail that replay drops.
 */
export class Journal {
  private fd: number | undefined
  /** Bytes of good lines. */
  private length: number
  /** Whether bytes past `length` may be on disk (a failed or torn write) and must be cut first. */
  private dirty: boolean
  /** Whether the journal's directory entry still has to be fsync'd. */
  private unsynced = false

  constructor(readonly path: string, replay: Pick<Replay, "goodLength" | "torn">) {
    this.length = replay.goodLength
    this.dirty = replay.torn
  }

  /** Bytes of good lines: what compaction would take away. */
  get bytes(): number {
    return this.length
  }

  private open(): number {
    if (this.fd === undefined) {
      let created = false
      try {
        this.fd = openSync(this.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
        created = true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
        this.fd = openSync(this.path, constants.O_WRONLY)
      }
      if (created) this.unsynced = true
    }
    if (this.unsynced) {
      fsyncDirectory(dirname(this.path))
      this.unsynced = false
    }
    return this.fd
  }

  /** Cuts what a failed write may have left; throws when the disk refuses. */
  private repair(fd: number): void {
    if (!this.dirty) return
    ftruncateSync(fd, this.length)
    fdatasyncSync(fd)
    this.dirty = false
  }

  /** Writes one line and fsyncs it; throws (having written nothing that counts) when it cannot. */
  append(entry: EntryData): void {
    const line = Buffer.from(`${JSON.stringify(entry)}\n`)
    const fd = this.open()
    this.repair(fd)
    this.dirty = true
    try {
      writeAll(fd, line, this.length)
      fdatasyncSync(fd)
    } catch (error) {
      try {
        this.repair(fd)
      } catch {
        // Still dirty: cut before the next append, which fails if the disk still refuses.
      }
      throw error
    }
    this.dirty = false
    this.length += line.length
  }

  /** Empties the journal once the data file holds everything in it; throws when the disk refuses. */
  reset(): void {
    const fd = this.open()
    ftruncateSync(fd, 0)
    this.length = 0
    // Until fdatasync returns, old lines may still be on disk: cut again before the next append.
    this.dirty = true
    fdatasyncSync(fd)
    this.dirty = false
  }

  /** Closes the file; the next append opens it again. */
  close(): void {
    if (this.fd === undefined) return
    const fd = this.fd
    this.fd = undefined
    closeSync(fd)
  }
}
