import type { z } from 'zod';

/** Where an operation's input names a file on this machine, and whether the operation reads it or writes it. */
export interface PathField {
  /** Dotted path of the field in the parsed input, e.g. `path` or `file.path`. */
  field: string;
  /** `open`: the operation reads the file; `save`: it writes it. */
  mode: 'open' | 'save';
}

/** What the contract says about one operation besides its input. */
export interface OperationTraits {
  /**
   * Whether Undo can take the operation back. Every writing operation can,
   * unless its entry says why not; History shows the reason and Undo never
   * takes back something else instead.
   */
  undo?: { possible: false; why: string };
  /** The fields of its input that name files on this machine. */
  paths?: readonly PathField[];
  /** `json`: the answer is large and crosses threads as JSON text (a whole case's graph). */
  answer?: 'json';
}

/** One operation of the contract: its input schema, and (as a type only) its output. */
export interface Operation<I extends z.ZodType, O> extends OperationTraits {
  input: I;
  /** Phantom: carries the output type; never read at run time. */
  output?: O;
  /** Whether the operation changes the case file (runs in a write transaction). */
  writes: boolean;
}

/** The value at a dotted field path (`file.path`) of a parsed input, or undefined where the path leads nowhere. */
export function fieldValue(input: unknown, field: string): unknown {
  let value: unknown = input;
  for (const key of field.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Declares an operation: `op<Output>()(inputSchema, writes, traits?)`. */
export function op<O>() {
  return <I extends z.ZodType>(input: I, writes: boolean, traits: OperationTraits = {}): Operation<I, O> => ({ input, writes, ...traits });
}
