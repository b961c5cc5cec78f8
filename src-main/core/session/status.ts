import type { HostingStatus } from '../../ipc/contract'

/** `active`/`status` of a session reply -> the account's hosting status. */
export function hostingFrom(reply: { active?: boolean; status?: string }): HostingStatus {
  switch (reply.status) {
    case 'takendown':
    case 'suspended':
    case 'deactivated':
      return reply.status
  }
  // `active: false` without a known status: the lexicon lets servers add new
  // ones; treat as deactivated (the account cannot be used) rather than active.
  return reply.active === false ? 'deactivated' : 'active'
}
