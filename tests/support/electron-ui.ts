/**
 * The Electron stand-in's tray, images and notifications (re-exported by
 * ./electron.ts): what the shell shows outside its window, recorded for tests.
 */
import { EventEmitter } from 'node:events'
import type { Menu } from './electron'
import { machine } from './electron-world'

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    },
  }
}

const trays: Tray[] = []
export class Tray extends EventEmitter {
  static all() {
    return [...trays]
  }
  menu: Menu | null = null
  tooltip = ''
  /** macOS: the text beside the icon in the menu bar. */
  title = ''
  private destroyed = false
  constructor(public image: StandInImage) {
    super()
    trays.push(this)
  }
  setImage(image: StandInImage) {
    this.image = image
  }
  setToolTip(t: string) {
    this.tooltip = t
  }
  setTitle(t: string) {
    this.title = t
  }
  setContextMenu(m: Menu) {
    this.menu = m
  }
  displayBalloon() {}
  destroy() {
    this.destroyed = true
  }
  isDestroyed() {
    return this.destroyed
  }
}

/** An image remembers where it came from, so tests can tell one icon from another. */
export interface StandInImage {
  source: string
  size?: { width: number; height: number }
  resize(size: { width: number; height: number }): StandInImage
  isEmpty(): boolean
  setTemplateImage(): void
}
function image(source: string, size?: { width: number; height: number }): StandInImage {
  return {
    source,
    size,
    resize: (to) => image(source, to),
    isEmpty: () => source === '',
    setTemplateImage: () => undefined,
  }
}
export const nativeImage = {
  createFromDataURL: (url: string) => image(url),
  createFromPath: (path: string) => image(path),
  createFromBuffer: (buf: Buffer) => image(buf.length > 0 ? `buffer:${buf.toString('utf8', 0, 64)}` : ''),
  createEmpty: () => image(''),
}

/** Every notification shown, in order: what it said, its icon, and a way to click it as the user would. */
export const notifications: Notification[] = []
export class Notification extends EventEmitter {
  static isSupported() {
    return machine().notificationsSupported
  }
  readonly title: string
  readonly body: string
  readonly icon: StandInImage | string | undefined
  constructor(opts: { title: string; body: string; icon?: StandInImage | string }) {
    super()
    this.title = opts.title
    this.body = opts.body
    this.icon = opts.icon
  }
  show() {
    notifications.push(this)
    this.emit('show', preventable())
  }
  /** The user clicks it (Electron emits click; the notification then goes away). */
  click() {
    this.emit('click', preventable())
    this.emit('close', preventable())
  }
  close() {
    this.emit('close', preventable())
  }
}
