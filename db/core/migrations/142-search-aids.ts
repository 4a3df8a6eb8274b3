import type { Migration } from './index';

/**
 * Two aids to a search over many documents.
 *
 * What a search ranks its hits by besides their score (the kind of place,
 * its source and page), in an index of its own. A search ranks every place
 * that matches before it shows a page of them; read from search_docs itself,
 * each hit brought its whole row (a document's body is most of a page), and
 * a word in every one of 20,000 documents read them all.
 *
 * The words of the word index, as a table to read (fts5vocab, which stores
 * nothing of its own): a word typed is matched as a prefix ("custom"*), and
 * the snippet of each place shown matched it again, each time merging every
 * word of the index that starts so; the words it stands for are now read
 * from here once, and the snippets match them instead.
 */
export const searchAids: Migration = {
  version: 142,
  name: 'search-aids',
  sql: `
    CREATE INDEX search_docs_rank ON search_docs (id, kind, source_id, page);
    CREATE VIRTUAL TABLE search_words_terms USING fts5vocab (search_words, 'row');
  `,
};
