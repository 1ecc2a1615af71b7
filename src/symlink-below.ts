import { lstatSync } from 'node:fs';
import path from 'node:path';

/**
 * The first symbolic link among the components of `target` below `top` (`target` included,
 * `top` not: the folders above are the user's, and on macOS even /tmp is a link), or undefined.
 * Writing through one would change a file outside the folder the run was given. Components not
 * there yet are created by the run as real folders, so the walk stops at the first missing one.
 */
export function symlinkBelow(top: string, target: string): string | undefined {
  const relative = path.relative(top, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  let current = top;
  for (const part of relative.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    try {
      if (lstatSync(current).isSymbolicLink()) return current;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
