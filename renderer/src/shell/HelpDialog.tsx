import { SHORTCUT_COMMANDS, type ShortcutCommand } from '../../../shared/shortcuts';
import { Dialog } from '../ui/Dialog';
import { shortcutLabel } from '../ui/shortcuts';

const WHAT: Record<ShortcutCommand, string> = {
  'command-palette': 'Find any action, entity or source',
  'add-source': 'Add a source',
  'add-entity': 'Add an entity',
  'add-link': 'Add a link',
  'new-report': 'Start a new briefing',
  find: 'Search the case',
  'export-case': 'Export the case for sharing',
  'go-overview': 'Go to the Overview',
  'go-sources': 'Go to Sources',
  'go-entities': 'Go to Entities',
  'go-links': 'Go to Links',
  'go-areas': 'Go to Technology areas',
  'go-graph': 'Go to the Graph',
  'go-timeline': 'Go to the Timeline',
  'go-reports': 'Go to Reports',
  'go-search': 'Go to Search',
  'go-history': 'Go to History',
  'go-exchange': 'Go to Merge & exchange',
  'go-screening': 'Go to Screening',
};

/** Help from the command palette: the shortcuts, and where the guide is. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const keyed = SHORTCUT_COMMANDS.filter((c) => shortcutLabel(c) !== null);
  return (
    <Dialog title="Help" labelledBy="help-title" onClose={onClose}>
      <p>
        Every action is in the command palette; the main ones have shortcuts. Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z) step through whole changes. The user guide, a short page per view, is in{' '}
        <code>docs/guide</code> of the Caseboard folder.
      </p>
      <table className="help-shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {keyed.map((c) => (
            <tr key={c}>
              <td>
                <kbd>{shortcutLabel(c)}</kbd>
              </td>
              <td>{WHAT[c]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
