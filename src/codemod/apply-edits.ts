import type { Edit } from './types.js';

export class OverlappingEditsError extends Error {}

/**
 * Splices non-overlapping edits into text; everything outside them stays byte for byte.
 * Insertions at the same position keep the order they were given in.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map(({ edit }) => edit);
  let out = '';
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start < cursor) {
      throw new OverlappingEditsError(`edits overlap at offset ${edit.start}: a transform planned two changes to the same code`);
    }
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}
