import path from 'node:path';
import { repoRoot } from './golden.js';

/**
 * The OpenTelemetry semantic-conventions YAML models the tests read, all inside the repository:
 * v1.44.0 is the model the package ships and uses by default (semconv/v1.44.0), v1.43.0 is test
 * data for the oracle tests (test/data/semconv-v1.43.0). Each folder's README names its source.
 */
export const SEMCONV_MODELS = {
  '1.44.0': path.join(repoRoot, 'semconv', 'v1.44.0'),
  '1.43.0': path.join(repoRoot, 'test', 'data', 'semconv-v1.43.0'),
} as const;
