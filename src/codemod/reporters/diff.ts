import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';
import type { InstrumentResult } from '../types.js';

function colourise(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return pc.bold(line);
      if (line.startsWith('+')) return pc.green(line);
      if (line.startsWith('-')) return pc.red(line);
      if (line.startsWith('@@')) return pc.cyan(line);
      return line;
    })
    .join('\n');
}

/**
 * A unified diff of every change a run would make, sources first, then project files (new ones
 * from /dev/null), with names relative to `base` (see patchBase): `git apply` run there takes it.
 */
export function diffReport(result: InstrumentResult, base: string, colour: boolean): string {
  const patches: string[] = [];
  const nameOf = (file: string) => path.relative(base, file).split(path.sep).join('/');
  for (const file of result.files) {
    if (file.status !== 'changed' || file.before === undefined || file.after === undefined) continue;
    const name = nameOf(file.path);
    patches.push(createTwoFilesPatch(`a/${name}`, `b/${name}`, file.before, file.after, undefined, undefined, { context: 3 }));
  }
  for (const change of result.project) {
    const name = nameOf(change.path);
    const from = change.before === undefined ? '/dev/null' : `a/${name}`;
    patches.push(createTwoFilesPatch(from, `b/${name}`, change.before ?? '', change.after, undefined, undefined, { context: 3 }));
  }
  // createTwoFilesPatch starts with an "Index:"-less "===" header line; keep the git-style part only.
  const text = patches.map((p) => p.replace(/^=+\n/, '')).join('');
  return colour ? colourise(text) : text;
}
