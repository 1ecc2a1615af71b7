// The @opentelemetry/api range written into package.json must be one the project's own pinned
// TypeScript can read: 1.9.1 needs TypeScript 4.5 (`export { type … }`), 1.10 needs 4.7 (.d.cts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/codemod/instrument.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { makeProject } from './make-project.js';

async function apiRangeWritten(devDependencies: Record<string, string>): Promise<string | undefined> {
  const dir = makeProject('api-range', {
    'package.json': `${JSON.stringify({ name: 'svc', version: '1.0.0', devDependencies }, null, 2)}\n`,
    'src/client.ts': "export const load = () => fetch('http://127.0.0.1:1/');\n",
  });
  const result = await instrument({ paths: [dir], transforms: ALL_TRANSFORMS, mode: 'write', cwd: dir });
  expect(result.errors).toEqual([]);
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies?.['@opentelemetry/api'];
}

describe('@opentelemetry/api range follows the TypeScript the project pins', () => {
  it.each([
    [{ typescript: '4.1.6' }, '1.9.0'],
    [{ typescript: '~4.4.4' }, '1.9.0'],
    [{ typescript: '^4.5.5' }, '~1.9.0'],
    [{ typescript: '4.6.x' }, '~1.9.0'],
    [{ typescript: '^4.7.0' }, '^1.9.0'],
    [{ typescript: '^5.4.0' }, '^1.9.0'],
    [{}, '^1.9.0'],
  ])('devDependencies %j → %s', async (devDependencies, range) => {
    expect(await apiRangeWritten(devDependencies)).toBe(range);
  });
});
