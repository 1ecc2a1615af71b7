import path from 'node:path';

/** Paths in reports are relative to the working directory, as a reviewer would type them. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') ? relative.split(path.sep).join('/') : file;
}

/** `/abs/a.ts:3:1: msg` → `a.ts:3:1: msg`. */
export function displayMessage(message: string, cwd: string): string {
  return message.replace(/^(\/[^:]+)(?=:)/, (file) => displayPath(file, cwd));
}
