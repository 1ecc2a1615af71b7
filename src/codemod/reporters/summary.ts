import type { InstrumentResult } from '../types.js';

export interface Summary {
  changed: number;
  unchanged: number;
  skipped: number;
  error: number;
  /** Call sites that a run changes (or would change). */
  sitesToInstrument: number;
  sitesInstrumented: number;
}

export function summarise(result: InstrumentResult): Summary {
  const summary: Summary = { changed: 0, unchanged: 0, skipped: 0, error: 0, sitesToInstrument: 0, sitesInstrumented: 0 };
  for (const file of result.files) {
    summary[file.status]++;
    for (const site of file.sites) {
      if (site.instrumented) summary.sitesInstrumented++;
      else if (!site.ignored && file.status === 'changed') summary.sitesToInstrument++;
    }
  }
  return summary;
}
