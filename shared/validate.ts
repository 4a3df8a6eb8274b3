import type { z } from 'zod';
import { contract, type OpParsedInput } from './contract';
import { CaseboardError, type FieldIssue } from './errors';
import { isOperationName, type OperationName } from './operation-names';

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Validates an operation's input against the contract, the check every door makes. */
export function parseOperationInput<N extends OperationName>(name: N, input: unknown): OpParsedInput<N> {
  const result = contract[name].input.safeParse(input ?? {});
  if (!result.success) {
    const issues = issuesOf(result.error);
    const first = issues[0];
    const where = first && first.path ? ` (${first.path})` : '';
    throw new CaseboardError('invalid_input', `${first?.message ?? 'The input is not valid.'}${where}`, issues);
  }
  return result.data as OpParsedInput<N>;
}

export function requireOperationName(name: unknown): OperationName {
  if (!isOperationName(name)) throw new CaseboardError('unknown_operation', `There is no operation called "${String(name).slice(0, 80)}".`);
  return name;
}
