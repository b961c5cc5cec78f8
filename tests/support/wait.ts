/** Polls `check` every 20 ms until it holds, or fails after `ms`. */
export function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const start = Date.now()
  return new Promise((ok, fail) => {
    const tick = async () => {
      if (await check()) return ok()
      if (Date.now() - start > ms) return fail(new Error('condition not met in time'))
      setTimeout(() => void tick(), 20)
    }
    void tick()
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
