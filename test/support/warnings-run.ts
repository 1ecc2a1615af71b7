import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { instrument } from '../../src/codemod/instrument.js';
import { parseSource } from '../../src/codemod/parse-source.js';
import type { Transform } from '../../src/codemod/types.js';
import { tempDir } from './cli.js';
import { findContext } from './find-context.js';

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

/** One transform's find() over a file on disk: each site with its line, and the warnings it gave. */
export function findIn(transform: Transform, file: string, dependencies: string[]) {
  const context = findContext(dependencies);
  const source = parseSource(file, readFileSync(file, 'utf8'), () => 'commonjs');
  const sites = transform.find(source, context).map(({ node, site }) => ({ line: source.ast.getLineAndCharacterOfPosition(node.getStart(source.ast)).line + 1, kind: site.kind, instrumented: site.instrumented, facts: site.facts }));
  return { sites, warnings: context.warnings.map((w) => w.message) };
}
