import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGoldenCases } from '../../test/support/golden.js';
import { winstonTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [winstonTransform]);
