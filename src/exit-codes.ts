/** The only place results become exit codes. */
export const EXIT = {
  /** Done: everything processed (and, with --check, nothing left to instrument). */
  ok: 0,
  /** --check found call sites to instrument. */
  workFound: 1,
  /** Some files or inputs could not be processed; the others were. */
  failures: 2,
} as const;
