// Stands in for ajv, ajv-formats and semver, which conf imports for its
// `schema` and `migrations` options. The app passes neither (shell/app-shell.ts
// opens its store with cwd, name and watch only), so these never run; if one
// ever does, it says so instead of misbehaving.
const unused = (what) => {
  throw new Error(`${what} is not in the bundle: the app gives its store no schema or migrations`)
}

export class Ajv2020 {
  constructor() {
    unused('ajv')
  }
}

export default new Proxy(
  {},
  {
    get: (_target, key) => unused(`ajv-formats / semver (${String(key)})`),
  },
)
