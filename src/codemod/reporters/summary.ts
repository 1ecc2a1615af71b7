import type { CallSite, InstrumentResult, Warning } from '../types.js';

export interface Summary {
  changed: number;
  unchanged: number;
  skipped: number;
  error: number;
  /** Call sites that a run changes (or would change). */
  sitesToInstrument: number;
  sitesInstrumented: number;
  /** Likely call sites the tool could not resolve (see FindContext.warn); they do not change the exit code. */
  warnings: number;
}

export function summarise(result: InstrumentResult): Summary {
  const summary: Summary = { changed: 0, unchanged: 0, skipped: 0, error: 0, sitesToInstrument: 0, sitesInstrumented: 0, warnings: 0 };
  for (const file of result.files) {
    summary[file.status]++;
    summary.warnings += file.warnings?.length ?? 0;
    for (const site of file.sites) {
      if (site.instrumented) summary.sitesInstrumented++;
      else if (!site.ignored && file.status === 'changed') summary.sitesToInstrument++;
    }
  }
  return summary;
}

/** The call sites a run changes (with `--check`/`--dry-run`: would change), in file order. */
export function sitesToInstrument(result: InstrumentResult): CallSite[] {
  return result.files.flatMap((file) => (file.status === 'changed' ? file.sites.filter((s) => !s.instrumented && !s.ignored) : []));
}

export function warningsOf(result: InstrumentResult): Warning[] {
  return result.files.flatMap((file) => file.warnings ?? []);
}
