import { v7 as uuidv7 } from 'uuid';

/** New stable identifier: time-ordered, unique across investigators' case files. */
export function newId(): string {
  return uuidv7();
}

/** Current time as an ISO 8601 UTC timestamp with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}
