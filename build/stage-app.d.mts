/** Stages out/, build/, electron-builder.yml and a dependency-free package.json in `dest`. */
export function stageApp(root: string, dest: string): string
