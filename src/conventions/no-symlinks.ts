import { lstat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The first existing path, from `dir` down to each of `files` (paths inside it), that is a
 * symbolic link, or undefined. Writing there would change a file outside the output directory:
 * `conventions --out` and `go --out` refuse it before writing anything. The folders above `dir`
 * are the user's (on macOS even /tmp is a link) and are not looked at.
 */
export async function symlinkOnTheWay(dir: string, files: readonly string[]): Promise<string | undefined> {
  const seen = new Set<string>();
  const candidates = [dir];
  for (const file of files) {
    const relative = path.relative(dir, path.resolve(dir, file));
    let current = dir;
    for (const part of relative.split(path.sep).filter(Boolean)) candidates.push((current = path.join(current, part)));
  }
  for (const candidate of candidates) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const info = await lstat(candidate).catch(() => undefined);
    if (info?.isSymbolicLink()) return candidate;
  }
  return undefined;
}
