import type { InstrumentResult } from '../types.js';
import type { Mode } from '../instrument.js';
import { summarise } from './summary.js';
import { warningLine } from './warning-line.js';
import { displayMessage, displayPath } from '../../relative-path.js';

/** What a person reads after a run that wrote files. */
export function prettyReport(result: InstrumentResult, cwd: string, mode: Mode): string {
  const s = summarise(result);
  const lines: string[] = [];
  for (const file of result.files) {
    if (file.status === 'changed') lines.push(`${mode === 'write' ? 'instrumented' : 'would instrument'} ${displayPath(file.path, cwd)}`);
  }
  for (const change of result.project) {
    const verb = change.before === undefined ? 'created' : 'updated';
    if (change.error) lines.push(`not ${verb} ${displayPath(change.path, cwd)}`);
    else lines.push(`${mode === 'write' ? verb : `would be ${verb}`} ${displayPath(change.path, cwd)}`);
  }
  for (const helper of result.outdated ?? []) lines.push(displayMessage(helper.message, cwd));
  for (const file of result.files) for (const warning of file.warnings ?? []) lines.push(warningLine(warning, cwd));
  const warnings = s.warnings > 0 ? `, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}` : '';
  lines.push(
    `${s.changed} changed (${s.sitesToInstrument} call sites), ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.error} with errors${warnings}`,
  );
  return `${lines.join('\n')}\n`;
}
