/** Stages out/, build/, electron-builder.yml and a dependency-free package.json in `dest`. */
export function stageApp(root: string, dest: string): string
/** electron-builder.yml's text as staged: a generic publish target when SKYSWITCH_UPDATE_URL is set. */
export function builderConfig(yaml: string, env?: Record<string, string | undefined>): string
