import type { InstrumentResult } from '../types.js';
import type { Mode } from '../instrument.js';
import { displayPath } from '../../relative-path.js';
import { sitesToInstrument, warningsOf } from './summary.js';

/** Workflow-command escaping: `%`, CR and LF in messages; also `:` and `,` in properties. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(level: 'error' | 'warning' | 'notice', message: string, at?: { file: string; line: number; column: number }): string {
  const props = at ? ` file=${escapeProperty(at.file)},line=${at.line},col=${at.column},title=otel-instrument` : ' title=otel-instrument';
  return `::${level}${props}::${escapeData(message)}`;
}

/** `file:line:col: message` as the error string carries it. */
function errorPosition(error: string): { file: string; line: number; column: number; message: string } | undefined {
  const match = /^(.*?):(\d+):(\d+): ([\s\S]*)$/.exec(error);
  return match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3]), message: match[4]! } : undefined;
}

/**
 * GitHub workflow annotations, one line each: a call site to instrument (with `--check` or
 * `--dry-run`, as a warning; after a writing run, a notice), a place the tool could not resolve
 * (warning), a file or input that could not be processed (error). `fixCommand` is what to run.
 */
export function githubReport(result: InstrumentResult, cwd: string, mode: Mode, fixCommand: string): string {
  const lines: string[] = [];
  for (const site of sitesToInstrument(result)) {
    const at = { file: displayPath(site.file, cwd), line: site.line, column: site.column };
    lines.push(
      mode === 'write'
        ? annotation('notice', `${site.kind}: instrumented`, at)
        : annotation('warning', `${site.kind}: call site without trace context; run \`${fixCommand}\``, at),
    );
  }
  for (const warning of warningsOf(result)) {
    lines.push(annotation('warning', warning.message, { file: displayPath(warning.file, cwd), line: warning.line, column: warning.column }));
  }
  for (const file of result.files) {
    if (!file.error) continue;
    const parsed = errorPosition(file.error);
    lines.push(
      parsed
        ? annotation('error', parsed.message, { file: displayPath(parsed.file, cwd), line: parsed.line, column: parsed.column })
        : annotation('error', file.error),
    );
  }
  for (const error of result.errors) lines.push(annotation('error', error));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
