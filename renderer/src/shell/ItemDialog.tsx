import { useCallback, useEffect, useRef, useState } from 'react';
import { changed } from '../ui/data';
import { useLeaveGuard } from '../ui/use-draft';
import { placeHash } from '../ui/place';
import { useCommandFallbacks } from '../ui/shortcuts';
import { EntityPanel } from '../model/EntityPanel';
import { LinkPanel } from '../model/LinkPanel';
import { SourceForm } from '../evidence/SourceForm';

/** An item to open in the dialog: a new one when id is null. */
export type DialogItem = { kind: 'source' | 'entity' | 'link'; id: string | null; notice?: string | undefined };

const OPEN_EVENT = 'caseboard:open-item';

/** Opens a source, entity or link (or a new one) in the item dialog, from any view. */
export function openItemDialog(item: DialogItem): void {
  window.dispatchEvent(new CustomEvent<DialogItem>(OPEN_EVENT, { detail: item }));
}

/** The field a keyboard user starts typing in. */
const FIRST_FIELD: Record<DialogItem['kind'], string> = { source: '#source-title', entity: '#entity-name', link: '#link-from' };

/**
 * The source, entity and link forms in a modal dialog, so an item can be
 * added or fixed from the command palette or the overview without leaving the
 * view. Escape asks before throwing away typing that was not saved.
 */
export function ItemDialog() {
  const [item, setItem] = useState<DialogItem | null>(null);
  // The form inside says when it holds unsaved typing and asks before it is thrown away.
  const guard = useLeaveGuard();
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  const open = useCallback(
    (next: DialogItem) =>
      guard.leave(() => {
        if (!ref.current?.open) returnTo.current = document.activeElement as HTMLElement | null;
        setItem(next);
      }),
    [guard],
  );

  useEffect(() => {
    const listener = (event: Event) => open((event as CustomEvent<DialogItem>).detail);
    window.addEventListener(OPEN_EVENT, listener);
    return () => window.removeEventListener(OPEN_EVENT, listener);
  }, [open]);

  // The grid views open their own panel when they handle these; elsewhere the dialog does.
  useCommandFallbacks({
    'add-source': () => open({ kind: 'source', id: null }),
    'add-entity': () => open({ kind: 'entity', id: null }),
    'add-link': () => open({ kind: 'link', id: null }),
  });

  const kind = item?.kind;
  const itemId = item?.id;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !kind) return;
    if (!dialog.open) dialog.showModal();
    // The forms load before they show their fields; wait for the first one.
    let tries = 0;
    const timer = window.setInterval(() => {
      const field = dialog.querySelector<HTMLElement>(FIRST_FIELD[kind]) ?? (itemId ? dialog.querySelector<HTMLElement>('input, select, textarea') : null);
      if (field || ++tries > 40) {
        window.clearInterval(timer);
        field?.focus();
      }
    }, 25);
    return () => window.clearInterval(timer);
  }, [kind, itemId]);

  const close = useCallback(() => {
    ref.current?.close();
    setItem(null);
    const back = returnTo.current;
    returnTo.current = null;
    if (back?.isConnected) back.focus();
  }, []);

  const askToClose = useCallback(() => guard.leave(close), [guard, close]);

  const saved = (kindSaved: DialogItem['kind'], id: string, notice: string) => {
    // The entity and link panels announce their own changes; the source form does not.
    if (kindSaved === 'source') changed(['evidence']);
    if (kindSaved === 'source' && item?.id === null) {
      // A new source continues in the Sources view, where its files and excerpts are added.
      close();
      window.location.hash = placeHash({ source: id });
      return;
    }
    setItem({ kind: kindSaved, id, notice });
  };

  return (
    <dialog
      ref={ref}
      className="dialog item-dialog"
      aria-label={item ? `${item.id ? 'Edit' : 'New'} ${item.kind}` : 'Item'}
      onCancel={(event) => {
        event.preventDefault();
        askToClose();
      }}
    >
      {item?.kind === 'source' ? (
        <SourceForm
          key={item.id ?? 'new'}
          sourceId={item.id}
          guard={guard}
          notice={item.notice}
          onClose={askToClose}
          onSaved={(source, notice) => saved('source', source.id, notice)}
          onDeleted={() => {
            changed(['evidence']);
            close();
          }}
        />
      ) : null}
      {item?.kind === 'entity' ? (
        <EntityPanel
          key={item.id ?? 'new'}
          entityId={item.id}
          guard={guard}
          notice={item.notice}
          onClose={askToClose}
          onSaved={(entity, notice) => saved('entity', entity.id, notice)}
          onDeleted={() => {
            changed(['model']);
            close();
          }}
          onOpenEntity={(id) => setItem({ kind: 'entity', id })}
        />
      ) : null}
      {item?.kind === 'link' ? (
        <LinkPanel
          key={item.id ?? 'new'}
          linkId={item.id}
          guard={guard}
          notice={item.notice}
          onClose={askToClose}
          onSaved={(link, notice) => saved('link', link.id, notice)}
          onDeleted={() => {
            changed(['model']);
            close();
          }}
        />
      ) : null}
    </dialog>
  );
}
