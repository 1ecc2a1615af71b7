import { accessSync, constants, lstatSync, readdirSync, rmSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { symlinkBelow } from '../symlink-below.js';
import { isWithin } from './project-top.js';
import type { FileResult, InstrumentResult, ProjectFileChange } from './types.js';
import { forEachLimited, TEMP_FILE, writeFileAtomic, WriteError } from '../write-file.js';

/**
 * A directory or file can be written: the process may (`access`), and its mode has a write bit.
 * The mode is checked too because root passes every `access` check, while a folder made
 * read-only is its owner's intent (as write-file does for files).
 */
function writable(target: string): boolean {
  try {
    if ((statSync(target).mode & 0o222) === 0) return false;
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first existing path from `file` upwards (where a missing folder would be created). */
function nearestExisting(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      lstatSync(current);
      return current;
    } catch {
      if (path.dirname(current) === current) return current;
    }
  }
}

/** Why `target` cannot be written by a run bounded by `tops`, or undefined. */
export function writeProblem(target: string, tops: readonly string[]): string | undefined {
  const top = tops.find((t) => isWithin(target, t));
  const link = top ? symlinkBelow(top, target) : undefined;
  if (link) return `${link}: is a symbolic link, never written through`;
  let exists = true;
  try {
    lstatSync(target);
  } catch {
    exists = false;
  }
  if (exists && !writable(target)) return `${target}: read-only, not written`;
  const dir = nearestExisting(path.dirname(target));
  if (!writable(dir)) return `${target}: folder ${dir} is not writable`;
  return undefined;
}

/** Removes the temporary files an interrupted run left in these folders (see write-file). */
export function removeLeftoverTempFiles(dirs: Iterable<string>): void {
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (TEMP_FILE.test(name)) rmSync(path.join(dir, name), { force: true });
  }
}

const ROLE_ORDER: Record<ProjectFileChange['role'], number> = { helper: 0, bootstrap: 1, 'package.json': 2 };

function markNotWritten(files: readonly FileResult[], why: string): void {
  for (const file of files) {
    file.status = 'error';
    file.reason = `not written: ${why}`;
  }
}

/**
 * Checks every path first, then writes in an order that an interruption cannot turn into a
 * broken project: helpers (what sources import), the bootstrap file, package.json, and only then
 * the sources. A project file that cannot be written (symbolic link, read-only folder) stops
 * the run before anything changes; a source file that cannot be written is that file's error.
 * Only for runs that write: --check and --dry-run (and `go`) may read a project they cannot write.
 */
export async function writeProject(result: InstrumentResult, tops: readonly string[]): Promise<void> {
  const changed = result.files.filter((file) => file.status === 'changed' && file.after !== undefined);
  const problems = [...new Set(result.project.map((change) => writeProblem(change.path, tops)).filter((p): p is string => p !== undefined))];
  if (problems.length > 0) {
    result.errors.push(...problems.map((p) => `${p}; nothing written`));
    for (const change of result.project) change.error = 'not written';
    markNotWritten(changed, 'project files cannot be written');
    return;
  }
  // Sources were found without following links, below real roots: only their folders' and own write bits matter.
  const folderWritable = new Map<string, boolean>();
  const sourceProblem = (file: string): string | undefined => {
    const dir = path.dirname(file);
    if (!folderWritable.has(dir)) folderWritable.set(dir, writable(dir));
    if (!folderWritable.get(dir)) return `${file}: folder ${dir} is not writable`;
    return writable(file) ? undefined : `${file}: read-only, not written`;
  };
  const writableSources = changed.filter((file) => {
    const problem = sourceProblem(file.path);
    if (!problem) return true;
    file.status = 'error';
    file.reason = 'cannot write';
    file.error = `${file.path}:1:1: ${problem.replace(`${file.path}: `, '')}`;
    return false;
  });

  const ordered = [...result.project].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  for (const [index, change] of ordered.entries()) {
    try {
      mkdirSync(path.dirname(change.path), { recursive: true });
      await writeFileAtomic(change.path, change.after);
    } catch (error) {
      const message = error instanceof WriteError ? error.message : `${change.path}: cannot write (${(error as NodeJS.ErrnoException).code ?? error})`;
      change.error = message;
      result.errors.push(`${message}; the sources were not written`);
      for (const later of ordered.slice(index + 1)) later.error = 'not written';
      markNotWritten(writableSources, 'project files cannot be written');
      return;
    }
  }
  await forEachLimited(writableSources, 16, async (file) => {
    try {
      await writeFileAtomic(file.path, file.after!);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      file.status = 'error';
      file.reason = 'cannot write';
      file.error = `${file.path}:1:1: ${error.message.replace(`${file.path}: `, '')}`;
    }
  });
}
