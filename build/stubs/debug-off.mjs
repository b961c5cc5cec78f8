// Stands in for debug under electron-updater's builder-util-runtime: with DEBUG
// set it would print request details to stderr past the updater's redacting
// logger (src-main/shell/update-errors.ts). Off, always.
export default function debug() {
  const log = () => undefined
  log.enabled = false
  return log
}
