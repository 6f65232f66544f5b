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
  /**
   * The same comparison free of drift on a shared disk: during the last tenth, each pair on the
   * long-lived store alternates with a pair on a fresh store (what the first tenth was), and the
   * means of the two are compared.
   */
  readonly interleaved: { readonly freshMsPerPair: number; readonly lastTenthMsPerPair: number; readonly ratio: number }
  /** What is on disk at the end: the data file and the journal. */
  readonly bytesOnDisk: { readonly data: number; readonly journal: number }
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits))

/** A store on a new data file with one account; `pair()` creates and revokes a key, returning the milliseconds. */
const churner = (dataFile: string) => {
  const store = new Store("test", { dataFile })
  const account = store.createAccount({ name: "Churn", email: "churn@example.com", owner: "user_churn" })
  let n = 0
  return {
    store,
    pair: (): number => {
      const start = performance.now()
      const created = store.createKey(account.id, `key ${++n}`)
      if (created === "limit_reached") throw new Error("unreachable: one active key at a time")
      store.revoke(created.record)
      return performance.now() - start
    }
  }
}

const mean = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0) / values.length

export const churn = (pairs = 10_000): ChurnResult => {
  const dir = mkdtempSync(join(tmpdir(), "bytekit-churn-"))
  try {
    const dataFile = join(dir, "state.json")
    const long = churner(dataFile)
    const tenth = Math.max(1, Math.floor(pairs / 10))
    const times: Array<number> = []
    let fresh: ReturnType<typeof churner> | undefined
    const freshTimes: Array<number> = []
    for (let i = 1; i <= pairs; i++) {
      times.push(long.pair())
      if (i > pairs - tenth) {
        fresh ??= churner(join(dir, "fresh.json"))
        freshTimes.push(fresh.pair())
      }
    }
    long.store.flush()
    fresh?.store.flush()
    const windows = Array.from({ length: Math.floor(pairs / tenth) }, (_, w) => mean(times.slice(w * tenth, (w + 1) * tenth)))
    const first = windows[0]!
    const last = windows[windows.length - 1]!
    const freshMean = mean(freshTimes)
    return {
      pairs,
      msPerPairByTenth: windows.map((w) => round(w)),
      firstTenthMsPerPair: round(first),
      lastTenthMsPerPair: round(last),
      ratio: round(last / first, 2),
      interleaved: { freshMsPerPair: round(freshMean), lastTenthMsPerPair: round(last), ratio: round(last / freshMean, 2) },
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
