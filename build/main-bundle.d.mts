import type { Alias, Plugin } from 'vite'

export const mainAliases: Alias[]
export function dedupePackages(): Plugin
export function mainStubsFor(): Plugin
