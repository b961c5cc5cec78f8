/**
 * What the tray says, in a language: the tooltip (unread total, who needs
 * attention) and each account's menu line. Pure: the tray asks for the
 * language each time it rebuilds.
 */
import { attentionOf, standingOf } from '../core/notices/standing'
import { type Language, translator } from '../i18n'
import type { AccountView, AppState } from '../ipc/contract'

/** What the tray says at a glance: the unread total, and the accounts that need attention (and why). */
export function trayGlance(state: AppState, now: number, lang: Language = 'en') {
  const t = translator(lang)
  const unread = state.accounts.reduce((n, a) => n + (a.unread ?? 0), 0)
  const attention = state.accounts.flatMap((a) => {
    const kind = attentionOf(a, now)
    return kind ? [{ did: a.did, handle: a.handle, kind, why: t(`tray.attention.${kind}`) }] : []
  })
  const parts: string[] = []
  if (unread > 0) parts.push(t('tray.unread', { count: unread }))
  if (attention.length === 1)
    parts.push(t('tray.oneNeedsAttention', { handle: attention[0]!.handle, why: attention[0]!.why }))
  else if (attention.length > 1) parts.push(t('tray.needAttention', { count: attention.length }))
  const summary = parts.length === 2 ? t('tray.summaryBoth', { first: parts[0]!, second: parts[1]! }) : parts[0]
  const tooltip = summary ? t('tray.tooltipWith', { summary }) : t('tray.tooltip')
  return { unread, attention, tooltip }
}

/** A menu line: the handle, its standing, its unread count; a mark when it needs attention. */
export function accountLabel(a: AccountView, now: number, lang: Language = 'en'): string {
  const t = translator(lang)
  const why = attentionOf(a, now)
  const standing = standingOf(a)
  return t('tray.account', {
    mark: why ? t('tray.accountMark') : '',
    handle: a.handle,
    standing: t(`tray.standing.${standing}`),
    // Said once: no note when the standing already says it.
    note: why && why !== standing ? t('tray.accountNote', { why: t(`tray.attention.${why}`) }) : '',
    unread: a.unread ? t('tray.accountUnread', { count: a.unread }) : '',
  })
}
