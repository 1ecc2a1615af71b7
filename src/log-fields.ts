/**
 * The log field profiles (`--log-fields`), shared by the codemod and `otel-instrument go`: the
 * names each writes are in /docs/logs.md and in templates/runtime/log-fields.ts.
 */
export const LOG_FIELD_PROFILES = ['otel', 'ecs', 'datadog'] as const;
export type LogFieldsProfile = (typeof LOG_FIELD_PROFILES)[number];
export const DEFAULT_LOG_FIELDS: LogFieldsProfile = 'otel';
/** The variable that overrides the profile at run time, on both sides. */
export const LOG_FIELDS_ENV = 'OTEL_INSTRUMENT_LOG_FIELDS';
