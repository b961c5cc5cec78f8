import type { Alias, Plugin } from 'vite'

export const mainAliases: Alias[]
export function dedupePackages(): Plugin
