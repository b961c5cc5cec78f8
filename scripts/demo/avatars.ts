/**
 * Demo avatars: a small sky picture per account, drawn as SVG and rendered to
 * PNG by sharp (profile avatars must be PNG or JPEG blobs).
 */
import sharp from 'sharp'

export async function avatarPng(hue: number, size = 96): Promise<Buffer> {
  const h2 = (hue + 40) % 360
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 96 96">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue},70%,62%)"/><stop offset="1" stop-color="hsl(${h2},60%,42%)"/>
  </linearGradient></defs>
  <rect width="96" height="96" fill="url(#g)"/>
  <circle cx="66" cy="32" r="13" fill="#fff" fill-opacity="0.85"/>
  <ellipse cx="40" cy="66" rx="26" ry="13" fill="#fff"/>
  <ellipse cx="58" cy="60" rx="18" ry="14" fill="#fff"/>
</svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}
