import yargs from 'yargs';
import { ConventionsError, formatProblem } from './conventions/errors.js';
import { generateConventions } from './conventions/generate.js';
import { EXIT } from './exit-codes.js';
import { goCommand } from './go/cli.js';
import { instrument, type Mode } from './instrument.js';
import { progressBar } from './progress.js';
import { checkReport } from './reporters/check.js';
import { diffReport } from './reporters/diff.js';
import { jsonReport } from './reporters/json.js';
import { prettyReport } from './reporters/pretty.js';
import { displayMessage, displayPath } from './reporters/relative.js';
import { ALL_TRANSFORMS, UnknownTransformError } from './transforms.js';
import type { InstrumentResult } from './types.js';

const EXIT_CODES_HELP = `Exit codes:
  0  done (with --check: nothing left to instrument)
  1  --check found call sites to instrument
  2  some files or inputs could not be processed (the others were)`;

function exitCodeFor(result: InstrumentResult, mode: Mode): number {
  if (result.errors.length > 0 || result.files.some((f) => f.status === 'error')) return EXIT.failures;
  if (mode === 'check' && result.files.some((f) => f.status === 'changed')) return EXIT.workFound;
  return EXIT.ok;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function buildCli(argv: string[]) {
  const cwd = process.cwd();
  return yargs(argv)
    .scriptName('otel-instrument')
    .command(
      '$0 [paths..]',
      'Rewrite HTTP and messaging call sites so they carry W3C trace context',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or directories to instrument' })
          .option('dry-run', { type: 'boolean', describe: 'Write nothing; print a unified diff of every change' })
          .option('check', { type: 'boolean', describe: 'Write nothing; list call sites that would change as file:line:col kind; exit 1 if any' })
          .option('json', { type: 'boolean', default: false, describe: 'Print a machine-readable report on stdout' })
          .option('only', { type: 'string', array: true, describe: `Only these transforms (${ALL_TRANSFORMS.map((t) => t.id).join(', ')})` })
          .option('exclude', { type: 'string', array: true, describe: 'Skip these transforms' })
          .option('changed-since', { type: 'string', describe: 'Only files changed since this git ref (for PR bots)' })
          .option('prettier', { type: 'boolean', default: false, describe: "Format changed files with the project's prettier config" })
          .option('bootstrap', { type: 'string', describe: 'Also write the SDK set-up file (tracing bootstrap) to this path' })
          .option('id-generator', { choices: ['random', 'time-ordered'] as const, default: 'random' as const, describe: 'Trace id generator of the bootstrap file' })
          .conflicts('dry-run', 'check'),
      async (args) => {
        const mode: Mode = args.check ? 'check' : args['dry-run'] ? 'dry-run' : 'write';
        let result: InstrumentResult;
        try {
          result = await instrument({
            paths: args.paths ?? ['.'],
            mode,
            cwd,
            only: list(args.only),
            exclude: list(args.exclude),
            changedSince: args['changed-since'],
            prettier: args.prettier,
            bootstrap: args.bootstrap,
            idGenerator: args['id-generator'],
            onProgress: args.json ? undefined : progressBar(process.stderr),
          });
        } catch (error) {
          if (error instanceof UnknownTransformError) {
            process.stderr.write(`otel-instrument: ${error.message}\n`);
            process.exitCode = EXIT.failures;
            return;
          }
          throw error;
        }
        if (args.json) process.stdout.write(jsonReport(result, cwd));
        else if (mode === 'check') process.stdout.write(checkReport(result, cwd));
        else if (mode === 'dry-run') process.stdout.write(diffReport(result, cwd, !!process.stdout.isTTY));
        else process.stdout.write(prettyReport(result, cwd, mode));
        if (!args.json) {
          for (const file of result.files) if (file.error) process.stderr.write(`${displayMessage(file.error, cwd)}\n`);
          for (const error of result.errors) process.stderr.write(`otel-instrument: ${displayMessage(error, cwd)}\n`);
        }
        process.exitCode = exitCodeFor(result, mode);
      },
    )
    .command(
      'conventions',
      'Generate semantic-convention constants (TypeScript or Go) from the spec YAML model',
      (y) =>
        y
          .option('spec', { type: 'string', array: true, demandOption: true, describe: 'Model directory (semantic-conventions/model or a registry of your own); repeat to read several as one registry' })
          .option('lang', { choices: ['ts', 'go'] as const, demandOption: true, describe: 'Language to generate' })
          .option('out', { type: 'string', demandOption: true, describe: 'Output directory (created if needed)' })
          .option('stability', {
            choices: ['stable', 'all'] as const,
            default: 'stable' as const,
            describe: 'stable: index.ts holds stable names and incubating.ts everything (Go: stable names only); all: every name in index.ts / the Go package',
          })
          .option('include-deprecated', { type: 'boolean', default: false, describe: 'Also generate deprecated attributes, values and metrics (marked @deprecated / Deprecated:)' })
          .option('package', { type: 'string', default: 'semconv', describe: 'Go package name' })
          .option('templates', { type: 'string', describe: 'Directory with ts/ and go/ templates that replace the built-in ones of the same name' })
          .option('schema-url', { type: 'string', describe: "Schema URL to use instead of the model manifest's schema_url" })
          .example('$0 conventions --spec semantic-conventions/model --lang ts --out src/semconv', '')
          .example('$0 conventions --spec semantic-conventions/model --spec acme-registry --lang go --out semconv --stability all', ''),
      async (args) => {
        try {
          const result = await generateConventions({
            spec: args.spec.map(String),
            lang: args.lang,
            out: args.out,
            stability: args.stability,
            includeDeprecated: args['include-deprecated'],
            package: args.package,
            templates: args.templates,
            schemaUrl: args['schema-url'],
          });
          for (const warning of result.warnings) process.stderr.write(`warning: ${displayMessage(formatProblem(warning), cwd)}\n`);
          const { attributes, enumValues, metrics, events } = result.counts;
          process.stdout.write(
            `otel-instrument conventions: wrote ${result.written.map((file) => displayPath(file, cwd)).join(', ')} ` +
              `(${attributes} attributes, ${enumValues} enum values, ${metrics} metrics, ${events} events)\n`,
          );
          process.exitCode = EXIT.ok;
        } catch (error) {
          if (!(error instanceof ConventionsError)) throw error;
          for (const line of error.lines()) process.stderr.write(`${displayMessage(line, cwd)}\n`);
          process.exitCode = EXIT.failures;
        }
      },
    )
    .command(goCommand)
    .epilogue(EXIT_CODES_HELP)
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help()}\n\notel-instrument: ${message}\n`);
      process.exit(EXIT.failures);
    })
    .strict()
    .help()
    .version();
}

export async function main(argv: string[]): Promise<void> {
  await buildCli(argv).parseAsync();
}
