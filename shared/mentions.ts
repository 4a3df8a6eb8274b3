/** One place an entity's name or alias appears in an attached file's text. */
export interface Mention {
  entity: { id: string; name: string };
  source: { id: string; title: string };
  attachment: { id: string; name: string };
  /** The page of a paged file (a PDF); null where the attachment has no pages. */
  page: number | null;
  /** Offsets in UTF-16 units into the stored text of that page (the only page when `page` is null), end exclusive. */
  start: number;
  end: number;
  /** The text as it stands there: exactly the stored text between `start` and `end`. */
  text: string;
}

/** Mentions with their tally: "mentioned in 3 sources, 7 places". */
export interface MentionList {
  mentions: Mention[];
  /** Distinct sources, attachments and entities among the mentions. */
  sources: number;
  attachments: number;
  entities: number;
}

/** "Mentioned in 3 sources, 7 places" (or "Not mentioned in any attached file"). */
export function mentionTally(list: Pick<MentionList, 'mentions' | 'sources'>): string {
  if (list.mentions.length === 0) return 'Not mentioned in any attached file';
  const places = list.mentions.length;
  return `Mentioned in ${list.sources} ${list.sources === 1 ? 'source' : 'sources'}, ${places} ${places === 1 ? 'place' : 'places'}`;
}
