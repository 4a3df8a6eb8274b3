/** Operations on entities, links, citations, technology areas and history. */
export const modelOperations = {};
