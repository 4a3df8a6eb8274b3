// Which files the window may name. Operations that read or write a path on this
// machine run in the main process with the user's rights, so the window must not
// be able to pick any path it likes: a page that went wrong (hostile text that
// slipped past escaping, say) could otherwise write a received attachment over
// a start-up script, or read any file into the case. The window gets a path
// only from a native dialog the user answered, or from the recent cases list;
// the main process remembers those answers per window and refuses the rest.
import path from 'node:path';
import type { WebContents } from 'electron';
import { isPathRequest, type PathRequest } from '../shared/bridge';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';
import { CaseboardError } from '../shared/errors';
import { contract } from '../shared/contract';
import { fieldValue, type PathField } from '../shared/operation';
import type { OperationName } from '../shared/operation-names';

export type PathMode = PathRequest['mode'];

/** A path the user chose in a dialog, for reading or for writing. */
interface Grant {
  path: string;
  mode: PathMode;
}

interface NamedPath extends Grant {
  /** The input field that holds it, named in the message beside that field. */
  field: string;
}

/** The paths in an operation's input, as its contract entry declares them, with whether the operation reads or writes them. */
export function pathsIn(name: OperationName, input: unknown): NamedPath[] {
  const fields: readonly PathField[] = contract[name].paths ?? [];
  return fields.flatMap(({ field, mode }) => {
    const value = fieldValue(input, field);
    return typeof value === 'string' ? [{ field, path: value, mode }] : [];
  });
}

/** A bare file name (no folder, no dot-dot): the workspace puts it in the cases folder. */
function isBareName(value: string): boolean {
  return !/[\\/]/.test(value) && value !== '.' && value !== '..' && !path.isAbsolute(value);
}

// Each window remembers a bounded number of answers; older ones have long been used.
const MAX_GRANTS = 64;

export interface PathAccessOptions {
  /** Shows a native dialog for the window that asked; resolves to the chosen path or null. */
  showDialog(sender: WebContents, request: PathRequest): Promise<string | null>;
  /** Case files the user opened before (the recent list), which the window may reopen by path. */
  recentCases(): string[];
}

export class PathAccess {
  private readonly grants = new WeakMap<WebContents, Grant[]>();

  constructor(private readonly options: PathAccessOptions) {}

  /** Asks the user through a native dialog; the answer is the one path this window may then use. */
  async choose(sender: WebContents, request: unknown): Promise<string | null> {
    if (!isPathRequest(request)) throw new CaseboardError('invalid_input', 'The request for a file dialog is not valid.');
    const chosen = await this.options.showDialog(sender, request);
    if (!chosen) return null;
    // Save dialogs on Linux do not add the extension their filter names.
    const resolved = request.mode === 'save' && request.purpose === 'case' && !path.extname(chosen) ? `${chosen}${CASE_FILE_EXTENSION}` : chosen;
    const list = this.grants.get(sender) ?? [];
    list.push({ path: path.resolve(resolved), mode: request.mode });
    this.grants.set(sender, list.slice(-MAX_GRANTS));
    return resolved;
  }

  /** Throws unless every path in the input was chosen by the user for this use. */
  check(sender: WebContents, name: OperationName, input: unknown): void {
    const granted = this.grants.get(sender) ?? [];
    for (const item of pathsIn(name, input)) {
      if (name === 'app.newCase' && isBareName(item.path)) continue;
      const resolved = path.resolve(item.path);
      if (name === 'app.openCase' && this.options.recentCases().some((recent) => path.resolve(recent) === resolved)) continue;
      if (granted.some((grant) => grant.path === resolved && grant.mode === item.mode)) continue;
      throw new CaseboardError('invalid_input', `Choose the file with the Choose… button: the window may only use files picked in a file dialog (${path.basename(item.path).slice(0, 120)}).`, [
        { path: item.field, message: 'Choose the file with the Choose… button.' },
      ]);
    }
  }
}
