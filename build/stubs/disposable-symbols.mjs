// Stands in for core-js's Symbol.dispose / Symbol.asyncDispose polyfills:
// Node 22 (and Electron's Node) define both. Fail loudly if a runtime does not.
if (typeof Symbol.dispose !== 'symbol' || typeof Symbol.asyncDispose !== 'symbol') {
  throw new Error('this runtime lacks Symbol.dispose / Symbol.asyncDispose')
}
