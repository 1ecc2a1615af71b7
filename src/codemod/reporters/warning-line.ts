import type { Warning } from '../types.js';
import { displayPath } from '../../relative-path.js';

/** `file:line:col warning: why`, the form every text report uses. */
export function warningLine(warning: Warning, cwd: string): string {
  return `${displayPath(warning.file, cwd)}:${warning.line}:${warning.column} warning: ${warning.message}`;
}

/** Every warning of a run as text lines, ending in a newline when there are any. */
export function warningLines(warnings: readonly Warning[], cwd: string): string {
  return warnings.map((w) => `${warningLine(w, cwd)}\n`).join('');
}
