import { contract } from '../../shared/contract';
import { isOperationName } from '../../shared/operation-names';

/**
 * Whether the contract says an operation's answers are large enough (a whole
 * case's graph) that the database thread writes them as JSON: a string
 * crosses to the door's thread without the structured copy of thousands of
 * small objects, and the doors send the text on as it is.
 */
export function answersJson(name: string): boolean {
  return isOperationName(name) && contract[name].answer === 'json';
}

/** An operation's answer as JSON text, written by the database thread. Never leaves the door's process as this object. */
export class JsonAnswer {
  constructor(readonly text: string) {}

  value(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}
