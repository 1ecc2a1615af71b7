import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export class WriteError extends Error {}

/**
 * Replaces a file's content atomically: a temporary file beside it, then rename, so a crash
 * leaves either the old or the new content, never half of one. Refuses symbolic links and files
 * without write permission (even as root: a read-only bit is the owner's intent).
 */
export function writeFileAtomic(file: string, content: string): void {
  let mode = 0o644;
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) throw new WriteError(`${file}: is a symbolic link, not written`);
    if ((stat.mode & 0o222) === 0) throw new WriteError(`${file}: read-only, not written`);
    mode = stat.mode & 0o7777;
  } catch (error) {
    if (error instanceof WriteError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.otel-instrument.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new WriteError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`, { cause: error });
  }
}
