import type { InstrumentResult } from '../types.js';
import { displayMessage, displayPath } from '../../relative-path.js';
import { warningLine } from './warning-line.js';

/**
 * `file:line:col kind`, one line per call site that a run would change, and after a file's sites
 * `file:line:col warning: why` for each place it could not resolve.
 */
export function checkReport(result: InstrumentResult, cwd: string): string {
  const lines: string[] = [];
  for (const file of result.files) {
    if (file.status === 'changed') {
      for (const site of file.sites) {
        if (site.instrumented || site.ignored) continue;
        lines.push(`${displayPath(site.file, cwd)}:${site.line}:${site.column} ${site.kind}`);
      }
    }
    for (const warning of file.warnings ?? []) lines.push(warningLine(warning, cwd));
  }
  // Helpers left alone because the user edited them: the line, then what this version would change.
  for (const helper of result.outdated ?? []) lines.push(displayMessage(helper.message, cwd), helper.diff.trimEnd());
  return lines.length ? `${lines.join('\n')}\n` : '';
}
