import type { InstrumentResult } from '../types.js';
import { displayPath } from '../../relative-path.js';

/** `file:line:col kind`, one line per call site that a run would change. */
export function checkReport(result: InstrumentResult, cwd: string): string {
  const lines: string[] = [];
  for (const file of result.files) {
    if (file.status !== 'changed') continue;
    for (const site of file.sites) {
      if (site.instrumented || site.ignored) continue;
      lines.push(`${displayPath(site.file, cwd)}:${site.line}:${site.column} ${site.kind}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
