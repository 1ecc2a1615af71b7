/**
 * The `conventions` subcommand: options and output; the work is `generateConventions`. It loads
 * nothing of the codemod engine (no TypeScript compiler), so the launcher can run it on its own.
 */
import yargs, { type CommandModule } from 'yargs';
import { withUsageRules } from '../cli-usage.js';
import { EXIT } from '../exit-codes.js';
import { displayMessage, displayPath } from '../relative-path.js';
import { ConventionsError, formatProblem } from './errors.js';
import { generateConventions, type ConventionsResult } from './generate.js';

interface ConventionsArgs {
  spec?: string[];
  lang: 'ts' | 'go';
  out: string;
  stability: 'stable' | 'all';
  'include-deprecated': boolean;
  package: string;
  templates?: string;
  'schema-url'?: string;
  only?: string[];
}

function summary(result: ConventionsResult, cwd: string): string {
  const { attributes, enumValues, metrics, events } = result.counts;
  return (
    `otel-instrument conventions: wrote ${result.written.map((file) => displayPath(file, cwd)).join(', ')} ` +
    `(${attributes} attributes, ${enumValues} enum values, ${metrics} metrics, ${events} events)` +
    (result.removed.length > 0 ? `; removed ${result.removed.map((file) => displayPath(file, cwd)).join(', ')} (not generated with these options)` : '') +
    '\n'
  );
}

export const conventionsCommand: CommandModule<object, ConventionsArgs> = {
  command: 'conventions',
  describe: 'Generate semantic-convention constants (TypeScript or Go) from the spec YAML model',
  builder: (y) =>
    y
      .option('spec', {
        type: 'string',
        array: true,
        describe:
          'Model directory (semantic-conventions/model or a registry of your own; default: the embedded v1.44.0 model); repeat to read several as one registry. A registry that refers to official names it does not define is read on top of the embedded model',
      })
      .option('lang', { choices: ['ts', 'go'] as const, demandOption: true, describe: 'Language to generate' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory (created if needed)' })
      .option('stability', {
        choices: ['stable', 'all'] as const,
        default: 'stable' as const,
        describe: 'stable: index.ts holds stable names and incubating.ts everything (Go: stable names only); all: every name in index.ts / the Go package',
      })
      .option('include-deprecated', {
        type: 'boolean',
        default: false,
        describe: 'Also generate deprecated attributes, values and metrics (marked @deprecated / Deprecated:)',
      })
      .option('package', { type: 'string', default: 'semconv', describe: 'Go package name' })
      .option('templates', { type: 'string', describe: 'Directory with ts/ and go/ templates that replace the built-in ones of the same name' })
      .option('only', {
        type: 'string',
        array: true,
        describe: 'Only these attributes (with their values), metrics and events: names or prefix.* patterns, repeatable',
      })
      .option('schema-url', { type: 'string', describe: "Schema URL to use instead of the model manifest's schema_url" })
      .example('$0 conventions --lang ts --out src/semconv', '')
      .example('$0 conventions --spec acme-registry --lang go --out semconv --stability all', '')
      .example('$0 conventions --spec semantic-conventions-1.43.0/model --lang ts --out src/semconv', ''),
  handler: async (args) => {
    const cwd = process.cwd();
    try {
      const result = await generateConventions({
        spec: (args.spec ?? []).map(String),
        lang: args.lang,
        out: args.out,
        stability: args.stability,
        includeDeprecated: args['include-deprecated'],
        package: args.package,
        templates: args.templates,
        schemaUrl: args['schema-url'],
        only: args.only?.flatMap((value) => String(value).split(',')).map((value) => value.trim()).filter(Boolean),
      });
      for (const warning of result.warnings) process.stderr.write(`warning: ${displayMessage(formatProblem(warning), cwd)}\n`);
      process.stdout.write(summary(result, cwd));
      process.exitCode = EXIT.ok;
    } catch (error) {
      if (!(error instanceof ConventionsError)) throw error;
      for (const line of error.lines()) process.stderr.write(`${displayMessage(line, cwd)}\n`);
      process.exitCode = EXIT.failures;
    }
  },
};

/** `otel-instrument conventions …` alone, for the launcher's fast path (same options, same help). */
export async function main(argv: string[]): Promise<void> {
  await withUsageRules(yargs(argv).scriptName('otel-instrument').command(conventionsCommand).demandCommand(1)).parseAsync();
}
