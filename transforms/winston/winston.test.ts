import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGoldenCases } from '../../test/support/golden.js';
import { findIn } from '../../test/support/warnings-run.js';
import { winstonTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [winstonTransform]);

describe('winston loggers it cannot wrap', () => {
  it('warns about the default logger and container loggers', () => {
    const { sites, warnings } = findIn(winstonTransform, path.join(fixtures, 'default-logger-cjs/input.cjs'), ['winston']);
    expect(sites).toEqual([]);
    expect(warnings).toEqual([
      'winston.add: the default logger is not made by createLogger, so its entries do not get the trace ids; use a logger from createLogger',
      'winston.info: the default logger is not made by createLogger, so its entries do not get the trace ids; use a logger from createLogger',
      'winston.loggers.get: a logger of winston.loggers is not made by createLogger, so its entries do not get the trace ids; use a logger from createLogger',
    ]);
  });
  it('says nothing about formats and transports', () => {
    expect(findIn(winstonTransform, path.join(fixtures, 'esm-named-import-ts/input.ts'), ['winston']).warnings).toEqual([]);
  });
});
