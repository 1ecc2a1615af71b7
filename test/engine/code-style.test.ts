import path from 'node:path';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { repoRoot, runGoldenCases } from '../support/golden.js';

// Inserted lines follow the file's own style: `var` where its requires use `var`, semicolons or
// not, single or double quotes. One folder per style; outputs written by UPDATE_GOLDENS=1 and reviewed.
runGoldenCases(path.join(repoRoot, 'test/engine/fixtures/code-style'), ALL_TRANSFORMS);
