import { useEffect, useState } from 'react';
import type { DuplicateCandidate } from '../../../shared/model';
import { api } from '../ui/api';

/** Warns, while the investigator types, about entities that already answer to one of the names. */
export function useDuplicates(names: readonly string[], entityId: string | null): DuplicateCandidate[] {
  const [found, setFound] = useState<DuplicateCandidate[]>([]);
  const key = JSON.stringify(names.map((n) => n.trim()).filter((n) => n !== ''));
  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      const list = JSON.parse(key) as string[];
      if (list.length === 0) {
        setFound([]);
        return;
      }
      api
        .call('entities.duplicates', { names: list, excludeId: entityId })
        .then((d) => live && setFound(d))
        .catch(() => live && setFound([]));
    }, 300);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [key, entityId]);
  return found;
}
