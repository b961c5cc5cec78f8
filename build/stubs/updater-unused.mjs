// Stands in for what electron-updater carries for setups the app does not have:
// the GitHub, GitLab, Bitbucket and Keygen feeds (and sax, which parses GitHub's
// XML), and the .deb, .rpm and pacman installers. The app constructs its updater
// itself with its generic feed (src-main/shell/updater.ts), so none of these is
// ever reached; if one is, it says so instead of misbehaving.
const unused = (what) => {
  throw new Error(`${what} is not in the bundle: the app updates from its generic feed only`)
}
const named = (what) =>
  class {
    constructor() {
      unused(what)
    }
  }

export const GitHubProvider = named('The GitHub update provider')
export const PrivateGitHubProvider = named('The GitHub update provider')
export const GitLabProvider = named('The GitLab update provider')
export const BitbucketProvider = named('The Bitbucket update provider')
export const KeygenProvider = named('The Keygen update provider')
export const DebUpdater = named('The .deb updater')
export const RpmUpdater = named('The .rpm updater')
export const PacmanUpdater = named('The pacman updater')
export const parser = () => unused('XML parsing (sax)')
