import { z } from 'zod';
import { op } from '../operation';
import { REPORT_FORMATS, reportFields, type PrintableReport, type ReportDefinition, type ReportExport, type ReportSummary } from '../report';
import { byId, id } from '../schemas';

/** A saved report by its ID, or a definition being edited that is not saved yet. */
const reportSource = {
  id: id.optional(),
  fields: reportFields.optional(),
  /** Technology areas (their sub-areas included) to limit the report to, in place of its scope's. */
  areaIds: z.array(id).max(100).optional(),
};
const eitherSavedOrGiven = (input: { id?: string | undefined; fields?: unknown }) => (input.id === undefined) !== (input.fields === undefined);
const EITHER_MESSAGE = { message: 'Choose a saved report or give its definition.', path: ['id'] };

/** Operations behind the Reports view: saved briefing definitions, preview and export. */
export const reportOperations = {
  'reports.list': op<ReportSummary[]>()(z.object({}).strict(), false),
  'reports.get': op<ReportDefinition>()(byId, false),
  'reports.create': op<ReportDefinition>()(z.object({ fields: reportFields }), true),
  'reports.update': op<ReportDefinition>()(z.object({ id, fields: reportFields }), true),
  'reports.delete': op<{ id: string }>()(byId, true),
  'reports.preview': op<{ html: string }>()(
    z
      .object({
        ...reportSource,
        /** The UI's style nonce, so the preview's styles apply under the window's CSP. */
        styleNonce: z.string().regex(/^[A-Za-z0-9+/=_-]{1,128}$/).optional(),
      })
      .refine(eitherSavedOrGiven, EITHER_MESSAGE),
    false,
  ),
  /** The printable HTML with its running header and footer, for a door that prints the PDF itself. */
  'reports.render': op<PrintableReport>()(z.object(reportSource).refine(eitherSavedOrGiven, EITHER_MESSAGE), false),
  'reports.export': op<ReportExport>()(
    z
      .object({
        ...reportSource,
        format: z.enum(REPORT_FORMATS),
        /** Where to write the file on this machine; without it the file comes back as base64 for a download. */
        path: z.string().trim().min(1).max(4096).optional(),
      })
      .refine(eitherSavedOrGiven, EITHER_MESSAGE),
    false,
    { paths: [{ field: 'path', mode: 'save' }] },
  ),
};
