/** A binary min-heap of (key, priority); the scheduler's one timer source. */
export class MinHeap<K> {
  private items: { key: K; at: number }[] = []

  get size(): number {
    return this.items.length
  }

  peek(): { key: K; at: number } | undefined {
    return this.items[0]
  }

  push(key: K, at: number): void {
    this.items.push({ key, at })
    let i = this.items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.items[parent]!.at <= this.items[i]!.at) break
      this.swap(i, parent)
      i = parent
    }
  }

  pop(): { key: K; at: number } | undefined {
    const top = this.items[0]
    const last = this.items.pop()
    if (top === undefined || last === undefined || this.items.length === 0) return top
    this.items[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.items.length && this.items[l]!.at < this.items[m]!.at) m = l
      if (r < this.items.length && this.items[r]!.at < this.items[m]!.at) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
    return top
  }

  private swap(a: number, b: number): void {
    const t = this.items[a]!
    this.items[a] = this.items[b]!
    this.items[b] = t
  }
}
