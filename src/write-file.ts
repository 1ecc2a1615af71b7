import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export class WriteError extends Error {}

/** Name of the temporary file beside `x` while `x` is written (`.x.<8 hex>.otel-instrument.tmp`); a kill can leave one. */
export const TEMP_FILE = /^\..+\.[0-9a-f]{8}\.otel-instrument\.tmp$/;

/**
 * Replaces a file's content atomically: a temporary file beside it, then rename, so a crash
 * leaves either the old or the new content, never half of one. Refuses symbolic links and files
 * without write permission (even as root: a read-only bit is the owner's intent). Asynchronous,
 * so a run writes many files at once instead of waiting on each file system call in turn.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  let mode = 0o644;
  try {
    const stat = await lstat(file);
    if (stat.isSymbolicLink()) throw new WriteError(`${file}: is a symbolic link, not written`);
    if ((stat.mode & 0o222) === 0) throw new WriteError(`${file}: read-only, not written`);
    mode = stat.mode & 0o7777;
  } catch (error) {
    if (error instanceof WriteError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.otel-instrument.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // No fsync: atomicity comes from the rename, and a per-file fsync was a third of a
      // 10,000-file run. On ext4/xfs a rename over a file flushes its data first anyway.
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new WriteError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`, { cause: error });
  }
}

/** Runs `task` over `items` with at most `limit` at a time (file system calls overlap, memory stays bounded). */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
