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

/**
 * An operation's answer as JSON, written by the database thread. It crosses to the door's thread as UTF-8
 * bytes, moved rather than copied (a graph of 50,000 entities is 16 MB of JSON, 31 MB as a JavaScript
 * string), and the browser-mode server sends the bytes on as they are. Never leaves the door's process as
 * this object.
 */
export class JsonAnswer {
  #text: string | null = null;

  /** `bytes`: the JSON as UTF-8. */
  constructor(readonly bytes: Uint8Array) {}

  get text(): string {
    this.#text ??= new TextDecoder().decode(this.bytes);
    return this.#text;
  }

  value(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}
