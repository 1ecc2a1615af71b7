import type { InstrumentResult } from '../types.js';
import type { Mode } from '../instrument.js';
import { summarise } from './summary.js';
import { displayPath } from '../../relative-path.js';

/** What a person reads after a run that wrote files. */
export function prettyReport(result: InstrumentResult, cwd: string, mode: Mode): string {
  const s = summarise(result);
  const lines: string[] = [];
  for (const file of result.files) {
    if (file.status === 'changed') lines.push(`${mode === 'write' ? 'instrumented' : 'would instrument'} ${displayPath(file.path, cwd)}`);
  }
  for (const change of result.project) {
    const verb = change.before === undefined ? 'created' : 'updated';
    lines.push(`${mode === 'write' ? verb : `would be ${verb}`} ${displayPath(change.path, cwd)}`);
  }
  lines.push(
    `${s.changed} changed (${s.sitesToInstrument} call sites), ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.error} with errors`,
  );
  return `${lines.join('\n')}\n`;
}
