import path from 'node:path';
import { realpathSync, statSync } from 'node:fs';

/** Paths in reports are relative to the working directory, as a reviewer would type them. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') ? relative.split(path.sep).join('/') : file;
}

/** `/abs/a.ts:3:1: msg` → `a.ts:3:1: msg`. */
export function displayMessage(message: string, cwd: string): string {
  return message.replace(/^(\/[^:]+)(?=:)/, (file) => displayPath(file, cwd));
}

function isBelow(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The directory a patch's `a/…` and `b/…` names are relative to, so that `git apply` run there
 * takes it: the working directory when every changed file is below it, else the first root given
 * (or, if a change lies outside that root, the deepest directory holding them all).
 */
export function patchBase(changed: readonly string[], cwd: string, roots: readonly string[]): string {
  if (changed.every((file) => isBelow(file, cwd))) return cwd;
  let base = roots[0] ?? cwd;
  while (!changed.every((file) => isBelow(file, base)) && path.dirname(base) !== base) base = path.dirname(base);
  return base;
}

/** The roots as given on the command line, as real directories (a file gives its directory). */
export function realRoots(given: readonly string[], cwd: string): string[] {
  return given.map((p) => {
    const absolute = path.resolve(cwd, p);
    try {
      const real = realpathSync(absolute);
      return statSync(real).isDirectory() ? real : path.dirname(real);
    } catch {
      return absolute;
    }
  });
}
