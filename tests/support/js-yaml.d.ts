// js-yaml (through electron-builder) ships no types; the packaging test only parses.
declare module 'js-yaml' {
  export function load(text: string): unknown
}
