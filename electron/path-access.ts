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
import type { OpParsedInput } from '../shared/contract';
import type { OperationName } from '../shared/operation-names';

export type PathMode = PathRequest['mode'];

interface NamedPath {
  path: string;
  mode: PathMode;
}

/** Operations whose input names a file on this machine; a test keeps this list in step with the contract. */
export const OPERATIONS_WITH_PATHS: readonly OperationName[] = ['app.openCase', 'app.newCase', 'app.saveCopy', 'attachments.add', 'attachments.export', 'share.exportCase', 'merge.plan', 'merge.apply', 'reports.export'];

/** The paths in an operation's input, with whether the operation reads or writes them. */
export function pathsIn(name: OperationName, input: unknown): NamedPath[] {
  const named = (value: unknown, mode: PathMode): NamedPath[] => (typeof value === 'string' ? [{ path: value, mode }] : []);
  switch (name) {
    case 'app.openCase':
      return named((input as OpParsedInput<'app.openCase'>).path, 'open');
    case 'app.newCase':
      return named((input as OpParsedInput<'app.newCase'>).path, 'save');
    case 'app.saveCopy':
      return named((input as OpParsedInput<'app.saveCopy'>).path, 'save');
    case 'attachments.add': {
      const file = (input as OpParsedInput<'attachments.add'>).file;
      return 'path' in file ? named(file.path, 'open') : [];
    }
    case 'attachments.export':
      return named((input as OpParsedInput<'attachments.export'>).path, 'save');
    case 'share.exportCase':
      return named((input as OpParsedInput<'share.exportCase'>).path, 'save');
    case 'merge.plan':
    case 'merge.apply':
      return named((input as OpParsedInput<'merge.plan'>).path, 'open');
    case 'reports.export':
      return named((input as OpParsedInput<'reports.export'>).path, 'save');
    default:
      return [];
  }
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
  private readonly grants = new WeakMap<WebContents, NamedPath[]>();

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
        { path: name === 'attachments.add' ? 'file.path' : 'path', message: 'Choose the file with the Choose… button.' },
      ]);
    }
  }
}
