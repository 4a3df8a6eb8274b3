import './entity-mentions.css';
import { mentionTally, type Mention } from '../../../shared/mentions';
import { useOperation } from '../ui/data';
import { placeHash } from '../ui/place';

/** How many places are listed before "and N more". */
const SHOWN_PLACES = 40;

interface FileMentions {
  attachment: Mention['attachment'];
  source: Mention['source'];
  places: Mention[];
}

function byFile(mentions: readonly Mention[]): FileMentions[] {
  const files = new Map<string, FileMentions>();
  for (const m of mentions) {
    const file = files.get(m.attachment.id) ?? { attachment: m.attachment, source: m.source, places: [] };
    file.places.push(m);
    files.set(m.attachment.id, file);
  }
  return [...files.values()];
}

function placeLabel(m: Mention): string {
  return m.page !== null ? `page ${m.page}` : `characters ${m.start}–${m.end}`;
}

/**
 * Where an entity's name and aliases appear in the text of attached files:
 * "Mentioned in 3 sources, 7 places", then each file with its places. A place
 * opens the file there, with the mention marked.
 */
export function EntityMentions({ entityId }: { entityId: string }) {
  const { data, error } = useOperation('mentions.list', { entityId }, { domains: ['model', 'evidence'] });
  // Said quietly: the panel itself says when the entity is gone, and mentions are not what the user is editing.
  if (error) return <p className="muted entity-mentions-failure">Mentions could not be read: {error}</p>;
  if (!data) return null;
  let left = SHOWN_PLACES;
  return (
    <section className="field entity-mentions" aria-labelledby="entity-mentions-title">
      <span className="field-label" id="entity-mentions-title">
        {mentionTally(data)}
      </span>
      {data.mentions.length > 0 ? (
        <ul className="mention-files">
          {byFile(data.mentions).map((file) => {
            const shown = file.places.slice(0, Math.max(0, left));
            left -= shown.length;
            if (shown.length === 0) return null;
            return (
              <li key={file.attachment.id}>
                <span className="mention-file">
                  {file.source.title}
                  {file.attachment.name !== file.source.title ? <span className="muted"> · {file.attachment.name}</span> : null}
                </span>
                <span className="mention-places">
                  {shown.map((m) => (
                    <a
                      key={`${m.page ?? 0}:${m.start}`}
                      href={placeHash({ source: m.source.id, attachment: m.attachment.id, page: m.page ?? undefined, start: m.page === null ? m.start : undefined, end: m.page === null ? m.end : undefined })}
                      title={`“${m.text}”: open the file there`}
                    >
                      {placeLabel(m)}
                    </a>
                  ))}
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {data.mentions.length > SHOWN_PLACES ? <p className="muted">and {data.mentions.length - SHOWN_PLACES} more places (caseboard mentions lists them all).</p> : null}
    </section>
  );
}
