import type { ZodError } from 'zod';
import { CaseboardError } from '../../../shared/errors';

export type FieldErrors = Record<string, string>;

/** First message per top-level field, from the shared schema's issues. */
export function fieldErrorsFromZod(error: ZodError, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const key = (prefix && path[0] === prefix ? path.slice(1) : path)[0] ?? '_';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Field messages from an operation the door refused, so they land next to the field too. */
export function fieldErrorsFromError(error: unknown, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  if (error instanceof CaseboardError && error.issues) {
    for (const issue of error.issues) {
      const path = issue.path.split('.');
      const key = (prefix && path[0] === prefix ? path.slice(1) : path)[0] ?? '_';
      errors[key] ??= issue.message;
    }
  }
  return errors;
}
