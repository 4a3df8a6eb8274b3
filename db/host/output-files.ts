// Files a door writes itself (an export it was handed as text, a PDF it printed)
// go through the same checks as the operations' own: whole or not at all, an
// ordinary file replaced, never a case file, a link or a device.
export { checkOutputPath, writeOutputBytes } from '../core/output-file';
export { PrivateCopies, removeLeftoversWhenStopped, sweepPrivateFolder } from '../core/private-files';
