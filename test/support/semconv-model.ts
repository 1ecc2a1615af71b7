import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './golden.js';

/**
 * The OpenTelemetry semantic-conventions YAML models the tests read. They are not copied into the
 * repository: they lie beside it (`../shared/semconv`, as the team's checkout has them), or where
 * OTEL_SEMCONV_DIR points. A missing model fails the tests that need it, with this message.
 */
export const SEMCONV_DIR = process.env['OTEL_SEMCONV_DIR'] ?? path.join(repoRoot, '..', 'shared', 'semconv');

export const SEMCONV_MODELS = {
  '1.44.0': path.join(SEMCONV_DIR, 'model'),
  '1.43.0': path.join(SEMCONV_DIR, 'model-v1.43.0'),
} as const;

export function requireModel(dir: string): string {
  if (!existsSync(dir)) {
    throw new Error(`semantic-conventions model not found at ${dir}: put the shared models beside the repository (../shared/semconv) or set OTEL_SEMCONV_DIR`);
  }
  return dir;
}
