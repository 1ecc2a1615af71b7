import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGoldenCases } from '../../test/support/golden.js';
import { nodeFetchTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [nodeFetchTransform]);
