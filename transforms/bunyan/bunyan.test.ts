import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGoldenCases } from '../../test/support/golden.js';
import { findIn } from '../../test/support/warnings-run.js';
import { bunyanTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [bunyanTransform]);

describe('bunyan calls it cannot resolve', () => {
  it('warns about a createLogger on something not known to be bunyan', () => {
    const file = path.join(fixtures, 'unresolved-cjs/input.cjs');
    expect(findIn(bunyanTransform, file, ['bunyan']).warnings).toEqual(["logging.bunyan.createLogger(…): not known to be bunyan's createLogger; its records do not get the trace ids"]);
    expect(findIn(bunyanTransform, file, []).warnings).toEqual([]);
  });
});
