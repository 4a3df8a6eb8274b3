import type { OperationName } from '../../shared/operation-names';

/**
 * Operations whose answers are large enough (a whole case's graph) that the
 * database thread writes them as JSON: a string crosses to the door's thread
 * without the structured copy of thousands of small objects, and the doors
 * send the text on as it is.
 */
export const JSON_ANSWER_OPERATIONS: ReadonlySet<string> = new Set<OperationName>(['graph.load']);

/** An operation's answer as JSON text, written by the database thread. Never leaves the door's process as this object. */
export class JsonAnswer {
  constructor(readonly text: string) {}

  value(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}
