import type { z } from 'zod';

/** One operation of the contract: its input schema, and (as a type only) its output. */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type; never read at run time. */
  output?: O;
  /** Whether the operation changes the case file (runs in a write transaction). */
  writes: boolean;
}

/** Declares an operation: `op<Output>()(inputSchema, writes)`. */
export function op<O>() {
  return <I extends z.ZodType>(input: I, writes: boolean): Operation<I, O> => ({ input, writes });
}
