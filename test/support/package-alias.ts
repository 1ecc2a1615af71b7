import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './golden.js';

/**
 * Links `node_modules/<name>` in an app copy to the repo's `<alias>` install (an npm alias such as
 * `express4`), so the app's own `require('<name>')` loads that major.
 */
export function linkPackageAlias(copy: string, name: string, alias: string): void {
  mkdirSync(path.join(copy, 'node_modules'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules', alias), path.join(copy, 'node_modules', name), 'dir');
}

/** The major version of `name` that a module at `fromFile` actually loads. */
export function loadedMajor(fromFile: string, name: string): string {
  const manifest = createRequire(fromFile).resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version.split('.')[0]!;
}
