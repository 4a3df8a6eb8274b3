// Reference lists (watchlists) live in the user data folder, beside the case files rather than in them:
// the command line manages them without opening a case, through here.
import type { ReferenceList } from '../../shared/ops/screening';
import { addReferenceList, referenceLists, removeReferenceList } from '../screening/lists';

export type { ReferenceList } from '../../shared/ops/screening';

/** The reference lists added on this machine, by name. */
export function listReferenceLists(): ReferenceList[] {
  return referenceLists();
}

/** Adds a reference list from FollowTheMoney JSON lines files, read as a stream and indexed for screening. */
export function addReferenceListFiles(files: readonly string[], name: string, version: string | undefined, progress?: (done: number, total: number, message: string) => void): Promise<ReferenceList> {
  return addReferenceList(files, { name, version, ...(progress ? { progress } : {}) });
}

/** Removes a reference list by name. */
export function removeReferenceListNamed(name: string): ReferenceList {
  return removeReferenceList(name);
}
