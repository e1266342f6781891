// A time-ordered queue of simulated events (a binary heap): replaying history runs each at its own `now`.
type Scheduled = { at: number; seq: number; run: (now: number) => Promise<unknown> }

export class EventQueue {
  private heap: Scheduled[] = []
  private seq = 0
  // events after `until` (the real now) are not history yet and are dropped
  constructor(private readonly until: number) {}

  at(at: number, run: (now: number) => Promise<unknown>) {
    if (at > this.until) return
    this.heap.push({ at, seq: this.seq++, run })
    let i = this.heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  // runs events in time order (ties in the order scheduled); events may schedule later ones
  async run() {
    while (this.heap.length) {
      const next = this.pop()
      await next.run(next.at)
    }
  }

  private pop(): Scheduled {
    const top = this.heap[0]!
    const last = this.heap.pop()!
    if (this.heap.length) {
      this.heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.heap.length && this.before(l, m)) m = l
        if (r < this.heap.length && this.before(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return top
  }

  private before(a: number, b: number) {
    const x = this.heap[a]!
    const y = this.heap[b]!
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }

  private swap(a: number, b: number) {
    ;[this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!]
  }
}
