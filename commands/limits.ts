/** Longest `/find` query that is searched; longer ones are cut. */
export const SEARCH_QUERY_MAX_LENGTH = 500;
