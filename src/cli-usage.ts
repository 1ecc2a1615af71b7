import type { Argv } from 'yargs';
import { EXIT } from './exit-codes.js';

/** Thrown from a yargs `check`: a usage error like an unknown option, not a crash. */
export class UsageError extends Error {}

/**
 * The usage rules every entry point shares: unknown options are errors, a usage error prints the
 * help and the message and exits with `EXIT.failures`, and `--help`/`--version` are on. Kept apart
 * from the codemod engine so the `conventions` fast path can use it without loading TypeScript.
 */
export function withUsageRules<T>(cli: Argv<T>): Argv<T> {
  return cli
    .fail((message, error, y) => {
      if (error && !(error instanceof UsageError)) throw error;
      process.stderr.write(`${y.help()}\n\notel-instrument: ${message}\n`);
      process.exit(EXIT.failures);
    })
    .strict()
    .help()
    .version();
}
