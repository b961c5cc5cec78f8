/**
 * Unread notifications, where the AppView runs: a few demo accounts post, and
 * other demo accounts like and reply to those posts, as people would. Only
 * accounts that stay in good standing on the server take part.
 */
import { like, post, sessionOf, type Session, unreadCount } from '../../tests/support/full-network'
import type { DemoAccount } from './accounts'
import type { DemoState, StateSpec } from './plan'

interface Activity {
  author: DemoState
  text: string
  likedBy: DemoState[]
  repliedBy: { state: DemoState; text: string }[]
}

const ACTIVITY: readonly Activity[] = [
  {
    author: 'active',
    text: 'Trying out Skyswitch with a few accounts at once.',
    likedBy: ['second-pds', 'rate-limited', 'signed-out'],
    repliedBy: [{ state: 'second-pds', text: 'Switching between them is quick.' }],
  },
  { author: 'second-pds', text: 'Hello from another hosting provider.', likedBy: ['active'], repliedBy: [] },
]

/** Writes the activity; returns each author's unread count as the AppView tells it, once settled. */
export async function makeUnreadNotifications(
  plan: readonly StateSpec[],
  accounts: readonly DemoAccount[],
  settle: () => Promise<void>,
): Promise<{ handle: string; unread: number }[]> {
  const sessions = new Map<DemoState, Session>()
  const session = async (state: DemoState): Promise<Session | undefined> => {
    const i = plan.findIndex((p) => p.state === state)
    const a = accounts[i]
    if (!a) return undefined
    if (!sessions.has(state)) sessions.set(state, await sessionOf(a.pds.url, { ...a, email: '' }))
    return sessions.get(state)
  }
  const authors: Session[] = []
  for (const act of ACTIVITY) {
    const author = await session(act.author)
    if (!author) continue
    const ref = await post(author, act.text)
    // A reply notifies only if the AppView has indexed its parent first.
    if (act.repliedBy.length > 0) await settle()
    for (const state of act.likedBy) {
      const s = await session(state)
      if (s) await like(s, ref)
    }
    for (const r of act.repliedBy) {
      const s = await session(r.state)
      if (s) await post(s, r.text, { root: ref, parent: ref })
    }
    authors.push(author)
  }
  await settle()
  return Promise.all(
    authors.map(async (s) => ({
      handle: accounts.find((a) => a.did === s.did)!.handle,
      unread: await unreadCount(s),
    })),
  )
}
