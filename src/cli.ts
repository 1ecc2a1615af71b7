import yargs from 'yargs';
import { conventionsCommand } from './conventions/cli.js';
import { UsageError, withUsageRules } from './cli-usage.js';
import { EXIT } from './exit-codes.js';
import { goCommand } from './go/cli.js';
import { instrument, type Mode } from './codemod/instrument.js';
import { progressBar } from './progress.js';
import { checkReport } from './codemod/reporters/check.js';
import { diffReport } from './codemod/reporters/diff.js';
import { githubReport } from './codemod/reporters/github.js';
import { jsonReport } from './codemod/reporters/json.js';
import { markdownReport } from './codemod/reporters/markdown.js';
import { warningLines } from './codemod/reporters/warning-line.js';
import { warningsOf } from './codemod/reporters/summary.js';
import { prettyReport } from './codemod/reporters/pretty.js';
import { displayMessage, patchBase, realRoots } from './relative-path.js';
import { UnknownTransformError } from './codemod/select-transforms.js';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { DEFAULT_LOG_FIELDS, LOG_FIELD_PROFILES, LOG_FIELDS_ENV } from './log-fields.js';
import type { InstrumentResult } from './codemod/types.js';

const EXIT_CODES_HELP = `Exit codes (warnings never change them):
  0  done (with --check: nothing left to instrument)
  1  --check found call sites to instrument
  2  some files or inputs could not be processed (the others were), or a usage error`;

export function exitCodeFor(result: InstrumentResult, mode: Mode): number {
  if (result.errors.length > 0 || result.files.some((f) => f.status === 'error')) return EXIT.failures;
  if (mode === 'check' && result.files.some((f) => f.status === 'changed')) return EXIT.workFound;
  return EXIT.ok;
}

const FORMATS = ['text', 'json', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that writes what a `--check` or `--dry-run` run found: same paths and scope, no report options. */
function fixCommandFor(args: { paths?: string[]; only?: string[]; exclude?: string[]; 'changed-since'?: string; prettier?: boolean; bootstrap?: string; 'id-generator'?: string; 'log-fields'?: string }): string {
  const words = ['npx', 'otel-instrument', ...(args.paths ?? ['.'])];
  const only = list(args.only);
  const exclude = list(args.exclude);
  if (only?.length) words.push('--only', only.join(','));
  if (exclude?.length) words.push('--exclude', exclude.join(','));
  if (args['changed-since']) words.push('--changed-since', args['changed-since']);
  if (args.prettier) words.push('--prettier');
  if (args.bootstrap) words.push('--bootstrap', args.bootstrap);
  if (args.bootstrap && args['id-generator'] && args['id-generator'] !== 'random') words.push('--id-generator', args['id-generator']);
  if (args['log-fields'] && args['log-fields'] !== DEFAULT_LOG_FIELDS) words.push('--log-fields', args['log-fields']);
  return words.map(shellWord).join(' ');
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function buildCli(argv: string[]) {
  const cwd = process.cwd();
  const cli = yargs(argv)
    .scriptName('otel-instrument')
    .command(
      '$0 [paths..]',
      'Rewrite HTTP and messaging call sites so they carry W3C trace context',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or directories to instrument' })
          .option('dry-run', { type: 'boolean', describe: 'Write nothing; print a unified diff of every change' })
          .option('check', { type: 'boolean', describe: 'Write nothing; list call sites that would change as file:line:col kind; exit 1 if any' })
          .option('format', {
            choices: FORMATS,
            describe: 'Report format: text (default), json, github (workflow annotations), markdown (step summary / PR comment); a format, not a mode: only --check and --dry-run keep a run from writing',
          })
          .option('json', { type: 'boolean', describe: 'Same as --format json' })
          .option('only', { type: 'string', array: true, describe: `Only these transforms (${ALL_TRANSFORMS.map((t) => t.id).join(', ')})` })
          .option('exclude', { type: 'string', array: true, describe: 'Skip these transforms' })
          .option('changed-since', { type: 'string', describe: 'Only files changed since this git ref (for PR bots)' })
          .option('prettier', { type: 'boolean', default: false, describe: "Format changed files with the project's prettier config" })
          .option('bootstrap', { type: 'string', describe: 'Also write the SDK set-up file (tracing bootstrap) to this path' })
          .option('id-generator', { choices: ['random', 'time-ordered'] as const, default: 'random' as const, describe: 'Trace id generator of the bootstrap file' })
          .option('log-fields', {
            choices: LOG_FIELD_PROFILES,
            default: DEFAULT_LOG_FIELDS,
            describe: `Names of the trace ids in log lines (pino, winston, bunyan): otel (trace_id, span_id, trace_flags), ecs (trace.id, span.id), datadog (dd.trace_id, dd.span_id); ${LOG_FIELDS_ENV} overrides it at run time`,
          })
          .conflicts('dry-run', 'check')
          .check((args) => {
            if (args.json && args.format !== undefined && args.format !== 'json') throw new UsageError(`--json conflicts with --format ${args.format}`);
            return true;
          }),
      async (args) => {
        const mode: Mode = args.check ? 'check' : args['dry-run'] ? 'dry-run' : 'write';
        const format: Format = args.format ?? (args.json ? 'json' : 'text');
        let result: InstrumentResult;
        try {
          result = await instrument({
            paths: args.paths ?? ['.'],
            transforms: ALL_TRANSFORMS,
            // Plan workers, on large trees, load the same list.
            transformsFrom: { module: new URL('../transforms/index.js', import.meta.url).href, name: 'ALL_TRANSFORMS' },
            mode,
            cwd,
            only: list(args.only),
            exclude: list(args.exclude),
            changedSince: args['changed-since'],
            prettier: args.prettier,
            bootstrap: args.bootstrap,
            idGenerator: args['id-generator'],
            logFields: args['log-fields'],
            onProgress: format === 'text' ? progressBar(process.stderr) : undefined,
          });
        } catch (error) {
          if (error instanceof UnknownTransformError) {
            process.stderr.write(`otel-instrument: ${error.message}\n`);
            process.exitCode = EXIT.failures;
            return;
          }
          throw error;
        }
        if (format === 'json') process.stdout.write(jsonReport(result, cwd));
        else if (format === 'github') process.stdout.write(githubReport(result, cwd, mode, fixCommandFor(args)));
        else if (format === 'markdown') process.stdout.write(markdownReport(result, cwd, mode, fixCommandFor(args)));
        else if (mode === 'check') process.stdout.write(checkReport(result, cwd));
        else if (mode === 'dry-run') {
          const changed = [...result.files.filter((f) => f.status === 'changed').map((f) => f.path), ...result.project.map((c) => c.path)];
          const base = patchBase(changed, realRoots([cwd], cwd)[0]!, realRoots(args.paths ?? ['.'], cwd));
          process.stdout.write(diffReport(result, base, !!process.stdout.isTTY));
          // stdout is the patch alone; what could not be resolved goes beside the errors.
          process.stderr.write(warningLines(warningsOf(result), cwd));
        } else process.stdout.write(prettyReport(result, cwd, mode));
        // json and github carry the errors themselves; markdown usually goes to a file, so the log keeps them.
        if (format === 'text' || format === 'markdown') {
          for (const file of result.files) if (file.error) process.stderr.write(`${displayMessage(file.error, cwd)}\n`);
          for (const error of result.errors) process.stderr.write(`otel-instrument: ${displayMessage(error, cwd)}\n`);
        }
        process.exitCode = exitCodeFor(result, mode);
      },
    )
    .command(conventionsCommand)
    .command(goCommand)
    .epilogue(EXIT_CODES_HELP);
  return withUsageRules(cli);
}

export async function main(argv: string[]): Promise<void> {
  await buildCli(argv).parseAsync();
}
