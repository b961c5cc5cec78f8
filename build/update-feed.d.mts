/** SKYSWITCH_UPDATE_URL, checked (https, or http on loopback) and ending in '/'; '' when unset. */
export function updateFeed(env?: Record<string, string | undefined>): string
