import type { InstrumentResult } from '../types.js';
import type { Mode } from '../instrument.js';
import { displayMessage, displayPath } from '../../relative-path.js';
import { sitesToInstrument, summarise, warningsOf } from './summary.js';

/** Text safe inside a table cell or a list item. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment: the counts, each call
 * site, the warnings and errors, and (unless the run wrote) the command that fixes it.
 */
export function markdownReport(result: InstrumentResult, cwd: string, mode: Mode, fixCommand: string): string {
  const s = summarise(result);
  const sites = sitesToInstrument(result);
  const warnings = warningsOf(result);
  const errors = [...result.files.flatMap((f) => (f.error ? [displayMessage(f.error, cwd)] : [])), ...result.errors.map((e) => displayMessage(e, cwd))];
  const files = new Set(sites.map((site) => site.file)).size;
  const out: string[] = ['## otel-instrument', ''];
  const tail = `${plural(s.sitesInstrumented, 'call site')} already instrumented, ${plural(warnings.length, 'warning')}, ${plural(errors.length, 'error')}.`;
  if (sites.length === 0) out.push(`**Nothing left to instrument.** ${tail}`);
  else if (mode === 'write') out.push(`**Instrumented ${plural(sites.length, 'call site')} in ${plural(files, 'file')}.** ${tail}`);
  else out.push(`**${plural(sites.length, 'call site')} to instrument in ${plural(files, 'file')}.** ${tail}`);
  if (sites.length > 0) {
    out.push('', '| where | kind |', '|---|---|');
    for (const site of sites) out.push(`| \`${cell(displayPath(site.file, cwd))}:${site.line}:${site.column}\` | \`${cell(site.kind)}\` |`);
  }
  if (warnings.length > 0) {
    out.push('', '### Warnings', '', 'Places that look like HTTP or messaging use but could not be resolved:', '');
    for (const w of warnings) out.push(`- \`${cell(displayPath(w.file, cwd))}:${w.line}:${w.column}\` warning: ${cell(w.message)}`);
  }
  if (errors.length > 0) {
    out.push('', '### Errors', '');
    for (const e of errors) out.push(`- ${cell(e)}`);
  }
  if (sites.length > 0 && mode !== 'write') out.push('', 'To fix, run this and commit the result:', '', '```sh', fixCommand, '```');
  return `${out.join('\n')}\n`;
}
