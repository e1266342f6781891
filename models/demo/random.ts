// A seeded pseudo-random source (mulberry32): the demo office's history is the same for the same seed and day.
export type Random = {
  // uniform in [0, 1)
  next: () => number
  int: (min: number, max: number) => number
  chance: (p: number) => boolean
  pick: <T>(items: readonly T[]) => T
  // a weighted index: weights need not sum to 1
  weighted: (weights: readonly number[]) => number
}

// FNV-1a of the seed text: any string picks a stream
function hashSeed(seed: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function seededRandom(seed: string): Random {
  let state = hashSeed(seed)
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (weights) => {
      const total = weights.reduce((a, b) => a + b, 0)
      let r = next() * total
      for (const [i, w] of weights.entries()) {
        if ((r -= w) < 0) return i
      }
      return weights.length - 1
    },
  }
}
