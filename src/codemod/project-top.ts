import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Whether `inner` is `outer` or below it. */
export function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The highest directory a run may look up to from a root, for package.json and tsconfig.json:
 * the top of the git repository holding the root; outside a repository, the current directory
 * when the root is inside it, else the root itself. Nothing above it is read or written, so a
 * project without its own package.json never changes its parent's.
 */
export function projectTop(root: string, cwd: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  let realCwd = cwd;
  try {
    realCwd = realpathSync(cwd);
  } catch {
    // A vanished cwd bounds nothing.
  }
  return isWithin(root, realCwd) ? realCwd : root;
}

/** `dir`, then each parent up to and including `top` (just `dir` when it is not below `top`). */
export function* dirsUpTo(dir: string, top: string): Generator<string> {
  let current = dir;
  for (;;) {
    yield current;
    if (current === top || !isWithin(current, top)) return;
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
