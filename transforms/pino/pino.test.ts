import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGoldenCases } from '../../test/support/golden.js';
import { findIn } from '../../test/support/warnings-run.js';
import { pinoTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [pinoTransform]);

describe('pino calls it cannot resolve', () => {
  const file = path.join(fixtures, 'unresolved-cjs/input.cjs');
  it('warns about a pino() that is not the package, in a project depending on pino', () => {
    expect(findIn(pinoTransform, file, ['pino']).warnings).toEqual(["pino(…): not known to be the pino package's function; its logger does not get the trace ids"]);
    expect(findIn(pinoTransform, file, []).warnings).toEqual([]);
  });
  it('says nothing about a parameter hiding the import', () => {
    expect(findIn(pinoTransform, path.join(fixtures, 'shadowed-ts/input.ts'), ['pino']).warnings).toEqual([]);
  });
});
