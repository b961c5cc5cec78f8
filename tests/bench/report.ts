/** One figure per line: `BENCH <name> <value> <unit>`. */
export function report(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1)
  process.stdout.write(`BENCH ${name} ${shown} ${unit}\n`)
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
