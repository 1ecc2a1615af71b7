import { lstatSync } from 'node:fs';
import path from 'node:path';
import { symlinkBelow } from '../symlink-below.js';

/**
 * The first existing path, from `dir` down to each of `files` (paths inside it), that is a
 * symbolic link, or undefined: `conventions --out` and `go --out` refuse it before writing
 * anything. `dir` itself counts (it is where the output goes); the folders above it do not.
 */
export function symlinkOnTheWay(dir: string, files: readonly string[]): string | undefined {
  try {
    if (lstatSync(dir).isSymbolicLink()) return dir;
  } catch {
    return undefined; // created by the run, as a real folder
  }
  for (const file of files) {
    const link = symlinkBelow(dir, path.resolve(dir, file));
    if (link) return link;
  }
  return undefined;
}
