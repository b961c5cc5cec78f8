// Stands in for lodash.isequal, which electron-updater uses to compare a cached
// download's update info (parsed JSON) with the feed's (parsed YAML): plain data,
// which Node's own deep equality compares the same way.
// CommonJS, as its importer calls the module itself: `require('lodash.isequal')(a, b)`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('node:util').isDeepStrictEqual
