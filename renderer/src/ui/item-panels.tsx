import { createContext, useContext, type ReactNode } from 'react';
import type { Entity, EntityRef, Link } from '../../../shared/model';
import type { LeaveGuard } from './use-draft';

/** What a view needs to show the side panel of one entity. */
export interface EntityPanelProps {
  entityId: string | null;
  notice?: string | undefined;
  /** The view's guard: it asks before another item takes unsaved typing away. */
  guard?: LeaveGuard | undefined;
  onClose: () => void;
  onSaved: (entity: Entity, notice: string) => void;
  onDeleted: () => void;
  onOpenEntity: (id: string) => void;
}

/** What a view needs to show the side panel of one link, or of a new one. */
export interface LinkPanelProps {
  linkId: string | null;
  initialFrom?: EntityRef | null | undefined;
  initialTo?: EntityRef | null | undefined;
  notice?: string | undefined;
  guard?: LeaveGuard | undefined;
  onClose: () => void;
  onSaved: (link: Link, notice: string) => void;
  onDeleted: () => void;
}

/**
 * The side panels of the case model, handed down by the shell, so that a
 * view of another domain (the Graph) can open them without importing the
 * model's views.
 */
export interface ItemPanels {
  entity(props: EntityPanelProps): ReactNode;
  link(props: LinkPanelProps): ReactNode;
}

const ItemPanelsContext = createContext<ItemPanels | null>(null);

export const ItemPanelsProvider = ItemPanelsContext.Provider;

export function useItemPanels(): ItemPanels {
  const panels = useContext(ItemPanelsContext);
  if (!panels) throw new Error('The side panels are not provided; wrap the views in ItemPanelsProvider.');
  return panels;
}
