/** One figure per line: `BENCH <name> <value> <unit>`, then any note (a goal, the floor) in parentheses. */
export function report(name: string, value: number, unit: string, note?: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1)
  process.stdout.write(`BENCH ${name} ${shown} ${unit}${note ? ` (${note})` : ''}\n`)
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!
}
