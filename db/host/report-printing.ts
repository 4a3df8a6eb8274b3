// A door that prints a briefing itself (the Electron window) prints it as the command line does: twice, so the
// contents list the page each section starts on.
export { printWithContentsPages } from '../reports/page-numbers';
