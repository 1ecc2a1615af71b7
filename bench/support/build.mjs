import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds dist/ so a benchmark runs the current CLI and helpers; an old dist/ is used (with a warning) if that fails. */
export function build() {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    if (!existsSync(path.join(root, 'dist/src/cli.js'))) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
    console.error(`warning: build failed, using the existing dist/:\n${result.stdout.slice(0, 2000)}`);
  }
}
