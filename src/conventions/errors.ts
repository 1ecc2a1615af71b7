/** Where something is written: a file (as the user would open it) and a 1-based line. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** One finding about the model or a template, printed as `file:line: message`. */
export interface Problem extends SourceLocation {
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** Sorts problems by file, then line, then message, so reports are stable across runs. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.message.localeCompare(b.message),
  );
}

/** Base class of every failure `generateConventions` reports on purpose. */
export class ConventionsError extends Error {
  override name = 'ConventionsError';

  /** The message as `file:line: message` lines (one per problem), for stderr. */
  lines(): string[] {
    return [this.message];
  }
}

/** The model (YAML) is invalid: every problem found, not only the first. */
export class ModelInvalidError extends ConventionsError {
  override name = 'ModelInvalidError';
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
  }

  override lines(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** A template (built-in or from `--templates`) could not be read, parsed or rendered. */
export class TemplateError extends ConventionsError {
  override name = 'TemplateError';

  constructor(
    readonly problem: Problem,
    options?: { cause?: unknown },
  ) {
    super(formatProblem(problem), options);
  }
}

/** The options make no sense (missing spec directory, unknown language, …). */
export class ConventionsOptionsError extends ConventionsError {
  override name = 'ConventionsOptionsError';
}

/** The output directory or a file in it cannot be written (a symbolic link, not a directory, read-only…). */
export class OutputError extends ConventionsError {
  override name = 'OutputError';
}
