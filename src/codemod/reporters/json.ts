import type { InstrumentResult } from '../types.js';
import { summarise } from './summary.js';
import { displayMessage, displayPath } from '../../relative-path.js';

/** The machine-readable report: every file with its status and reason, every call site. */
export function jsonReport(result: InstrumentResult, cwd: string): string {
  const report = {
    summary: summarise(result),
    files: result.files.map((file) => ({
      file: displayPath(file.path, cwd),
      status: file.status,
      ...(file.reason ? { reason: file.reason } : {}),
      ...(file.error ? { error: displayMessage(file.error, cwd) } : {}),
      sites: file.sites.map((site) => ({
        kind: site.kind,
        transform: site.transform,
        file: displayPath(site.file, cwd),
        line: site.line,
        column: site.column,
        instrumented: site.instrumented,
        ...(site.ignored ? { ignored: true } : {}),
        facts: site.facts,
      })),
      ...(file.warnings?.length
        ? { warnings: file.warnings.map((w) => ({ transform: w.transform, file: displayPath(w.file, cwd), line: w.line, column: w.column, message: w.message })) }
        : {}),
    })),
    project: result.project.map((change) => ({
      file: displayPath(change.path, cwd),
      role: change.role,
      status: change.error ? 'not written' : change.before === undefined ? 'created' : 'changed',
    })),
    outdated: (result.outdated ?? []).map((h) => ({ file: displayPath(h.path, cwd), helper: h.helper, why: h.why, writtenBy: h.writtenBy, current: h.current, message: displayMessage(h.message, cwd), diff: h.diff })),
    errors: result.errors.map((e) => displayMessage(e, cwd)),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
