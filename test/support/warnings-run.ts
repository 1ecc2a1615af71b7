import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { instrument } from '../../src/codemod/instrument.js';
import type { Transform } from '../../src/codemod/types.js';
import { tempDir } from './cli.js';

/** A project depending on `dependency` (name → range) whose src/ holds copies of the given files (name → source path). */
export function projectWith(prefix: string, dependency: Record<string, string>, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bus-app', dependencies: dependency }));
  mkdirSync(path.join(dir, 'src'));
  for (const [name, from] of Object.entries(files)) copyFileSync(from, path.join(dir, 'src', name));
  return dir;
}

/** The warnings a `--check` run of one transform over the project's src/ reports, as `file:line:col`. */
export async function warningsOf(dir: string, transform: Transform): Promise<string[]> {
  const result = await instrument({ paths: [path.join(dir, 'src')], transforms: [transform], mode: 'check', cwd: dir });
  return result.files.flatMap((f) => (f.warnings ?? []).map((w) => `${path.basename(w.file)}:${w.line}:${w.column}`));
}
