/** Exit codes of the `caseboard` command; users' scripts rely on them. */
export const EXIT = {
  ok: 0,
  usage: 1,
  notACaseFile: 2,
  failure: 3,
} as const;
