/** Seeded randomness for generated test inputs: a run is a pure function of its seed, so a failure replays. */

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Random {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  float(): number {
    return this.next()
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  int(max: number): number {
    return Math.floor(this.next() * max)
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
  /** a random subset, in the original order */
  subset<T>(items: readonly T[], p = 0.4): T[] {
    return items.filter(() => this.chance(p))
  }
}
