/**
 * Which demo accounts to create: one per state a user should recognise, then
 * (with --accounts N) plain active ones up to N.
 */
import type { AccountSpec } from './accounts'

export type DemoState =
  'active' | 'second-pds' | 'deactivated' | 'takendown' | 'signed-out' | 'rate-limited' | 'suspended' | 'offline'

export interface StateSpec extends AccountSpec {
  state: DemoState
  /** What the account's status banner says once the state is reached. */
  banner: string
}

export const DEMO_STATES: readonly StateSpec[] = [
  { name: 'alice', displayName: 'Alice Moreau', hue: 205, state: 'active', banner: 'Signed in.' },
  { name: 'farah', displayName: 'Farah Okafor', hue: 160, state: 'second-pds', banner: 'Signed in.' },
  { name: 'bruno', displayName: 'Bruno Diaz', hue: 30, state: 'deactivated', banner: 'Deactivated' },
  { name: 'chen', displayName: 'Chen Wei', hue: 350, state: 'takendown', banner: 'Taken down' },
  { name: 'dara', displayName: 'Dara Byrne', hue: 265, state: 'signed-out', banner: 'Signed out' },
  { name: 'emeka', displayName: 'Emeka Obi', hue: 45, state: 'rate-limited', banner: 'Rate-limited' },
  { name: 'gia', displayName: 'Gia Russo', hue: 310, state: 'suspended', banner: 'Suspended' },
  { name: 'hugo', displayName: 'Hugo Lind', hue: 110, state: 'offline', banner: 'Offline' },
]

const FIRST_NAMES = ['Ada', 'Bea', 'Cyd', 'Dev', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kai', 'Lee', 'Mo', 'Noa']

/** N accounts in all: the state accounts first, then plain active ones. */
export function planAccounts(n: number): StateSpec[] {
  const plan = DEMO_STATES.slice(0, n)
  for (let i = plan.length; i < n; i++) {
    const num = String(i + 1).padStart(4, '0')
    plan.push({
      name: `user${num}`,
      displayName: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${i + 1}`,
      state: 'active',
      banner: 'Signed in.',
    })
  }
  return plan
}
