/** Operations on attachments, excerpts and search. */
export const evidenceOperations = {};
