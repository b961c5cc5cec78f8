#!/usr/bin/env node
// Renders build/icon.svg into every size the installers need: PNGs for Linux
// (build/icons/NxN.png), build/icon.ico (Windows) and build/icon.icns (macOS),
// both made of PNG entries. Run after changing the SVG: node build/make-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'

const here = import.meta.dirname
const svg = readFileSync(join(here, 'icon.svg'))
const png = (size) =>
  sharp(svg, { density: Math.max(72, (72 * size) / 1024) * 4 })
    .resize(size, size)
    .png()
    .toBuffer()

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const rendered = new Map()
mkdirSync(join(here, 'icons'), { recursive: true })
for (const s of sizes) {
  rendered.set(s, await png(s))
  writeFileSync(join(here, 'icons', `${s}x${s}.png`), rendered.get(s))
}
writeFileSync(join(here, 'icon.png'), rendered.get(1024))

// ICO: a directory of PNG images (Windows Vista and later read PNG entries).
const ico = [16, 24, 32, 48, 64, 128, 256]
const header = Buffer.alloc(6 + 16 * ico.length)
header.writeUInt16LE(0, 0)
header.writeUInt16LE(1, 2)
header.writeUInt16LE(ico.length, 4)
let offset = header.length
ico.forEach((s, i) => {
  const data = rendered.get(s)
  const e = 6 + 16 * i
  header.writeUInt8(s >= 256 ? 0 : s, e)
  header.writeUInt8(s >= 256 ? 0 : s, e + 1)
  header.writeUInt16LE(1, e + 4)
  header.writeUInt16LE(32, e + 6)
  header.writeUInt32LE(data.length, e + 8)
  header.writeUInt32LE(offset, e + 12)
  offset += data.length
})
writeFileSync(join(here, 'icon.ico'), Buffer.concat([header, ...ico.map((s) => rendered.get(s))]))

// ICNS: PNG-typed entries, 1x and 2x.
const icns = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
]
const chunks = icns.map(([type, s]) => {
  const data = rendered.get(s)
  const h = Buffer.alloc(8)
  h.write(type, 0, 'ascii')
  h.writeUInt32BE(data.length + 8, 4)
  return Buffer.concat([h, data])
})
const total = 8 + chunks.reduce((n, c) => n + c.length, 0)
const top = Buffer.alloc(8)
top.write('icns', 0, 'ascii')
top.writeUInt32BE(total, 4)
writeFileSync(join(here, 'icon.icns'), Buffer.concat([top, ...chunks]))
process.stdout.write(
  `icons: ${sizes.join(', ')} px; icon.ico (${ico.length} sizes); icon.icns (${icns.length} entries)\n`,
)
