/**
 * Emulator churn: create+revoke pairs through the store on a data file (journal, fsync per change,
 * compaction), timed per tenth of the run (1,000 pairs of 10,000). The cost per change must stay
 * flat as history grows: the last tenth no slower than 1.3x the first. `node --import tsx
 * bench/churn.ts [pairs]` runs it alone; `bench/run.ts` puts its figures in results.json.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Store } from "../src/emulator/store.js"

export interface ChurnResult {
  readonly pairs: number
  /** Mean milliseconds per pair for each tenth of the run, in order. */
  readonly msPerPairByTenth: ReadonlyArray<number>
  readonly firstTenthMsPerPair: number
  readonly lastTenthMsPerPair: number
  /** Last over first: at most 1.3 to pass. */
  readonly ratio: number
  /** What is on disk at the end: the data file and the journal. */
  readonly bytesOnDisk: { readonly data: number; readonly journal: number }
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits))

export const churn = (pairs = 10_000): ChurnResult => {
  const dir = mkdtempSync(join(tmpdir(), "bytekit-churn-"))
  try {
    const dataFile = join(dir, "state.json")
    const store = new Store("test", { dataFile })
    const account = store.createAccount({ name: "Churn", email: "churn@example.com", owner: "user_churn" })
    const tenth = Math.max(1, Math.floor(pairs / 10))
    const windows: Array<number> = []
    let start = performance.now()
    for (let i = 1; i <= pairs; i++) {
      const created = store.createKey(account.id, `key ${i}`)
      if (created === "limit_reached") throw new Error("unreachable: one active key at a time")
      store.revoke(created.record)
      if (i % tenth === 0) {
        const now = performance.now()
        windows.push((now - start) / tenth)
        start = now
      }
    }
    store.flush()
    const first = windows[0]!
    const last = windows[windows.length - 1]!
    return {
      pairs,
      msPerPairByTenth: windows.map((w) => round(w)),
      firstTenthMsPerPair: round(first),
      lastTenthMsPerPair: round(last),
      ratio: round(last / first, 2),
      bytesOnDisk: { data: statSync(dataFile).size, journal: statSync(`${dataFile}.journal`).size }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = churn(Number(process.argv[2] ?? 10_000))
  console.log(JSON.stringify(result, null, 2))
}
