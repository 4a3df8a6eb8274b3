import { z } from 'zod';
import { base64Length, CREDIBILITY_GRADES, MAX_INLINE_BYTES, SEARCH_KINDS, type Attachment, type AttachmentContent, type AttachmentText, type AttachResult, type CredibilityGrade, type Excerpt, type ExportedAttachment, type SearchResult } from '../evidence';
import type { MentionList } from '../mentions';
import { aliasInput, entityFields, type Entity } from '../model';
import { op } from '../operation';
import { byId, id, language, optionalText, RELIABILITY_GRADES } from '../schemas';

const fileName = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().min(1, 'The file needs a name.').max(1000, 'The file name is longer than 1000 characters.'));

/** A file to attach: a path on this machine, or (small files) its bytes as base64. */
export const attachmentFile = z.union([
  z.object({
    path: z.string().min(1, 'Give the path of the file.').max(4096),
    name: fileName.optional(),
  }),
  z.object({
    name: fileName,
    base64: z
      .string()
      .max(base64Length(MAX_INLINE_BYTES), 'The file is too large to send this way; attach it from its path instead.')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file content is not valid base64.'),
  }),
]);

export const attachmentAdd = z.object({
  /** The source to attach to; without it the file becomes a new source of its own. */
  sourceId: id.optional(),
  file: attachmentFile,
  /** Attach even when the same bytes are already in the case. */
  allowDuplicate: z.boolean().default(false),
});

const CREDIBILITY_ERROR = 'Choose a credibility grade from 1 to 6.';
const credibility = z
  .number({ error: CREDIBILITY_ERROR })
  .int(CREDIBILITY_ERROR)
  .min(1, CREDIBILITY_ERROR)
  .max(6, CREDIBILITY_ERROR)
  .transform((grade) => grade as CredibilityGrade);

const position = z.number().int().min(0).max(2_000_000_000).nullish().transform((v) => v ?? null);

export const excerptFields = z
  .object({
    attachmentId: id.nullish().transform((v) => v ?? null),
    quote: z
      .string({ error: 'The quoted text is required.' })
      .transform((value) => value.trim())
      .pipe(z.string().min(1, 'The quoted text is required.').max(100000, 'The quoted text is longer than 100000 characters.')),
    page: z.number().int('The page is a whole number.').min(1, 'Pages are counted from 1.').max(1_000_000).nullish().transform((v) => v ?? null),
    charStart: position,
    charEnd: position,
    location: optionalText(500, 'The location'),
    credibility,
    comment: optionalText(20000, 'The comment'),
    /** The quote translated, and the language of the translation. */
    translation: optionalText(100000, 'The translation'),
    translationLanguage: language,
  })
  .refine((f) => (f.charStart === null) === (f.charEnd === null) && (f.charStart === null || f.charEnd === null || f.charEnd >= f.charStart), {
    message: 'The passage must end after it starts.',
    path: ['charEnd'],
  })
  .refine((f) => f.translation !== null || f.translationLanguage === null, {
    message: 'Give the translation whose language this is, or leave the language empty.',
    path: ['translationLanguage'],
  });
export type ExcerptFieldsInput = z.input<typeof excerptFields>;
export type ExcerptFields = z.output<typeof excerptFields>;

export const excerptCreate = z.object({ sourceId: id, fields: excerptFields });
export const excerptUpdate = z.object({ id, fields: excerptFields });

export const searchQuery = z.object({
  query: z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'Type something to search for.').max(500, 'The search is longer than 500 characters.')),
  kinds: z.array(z.enum(SEARCH_KINDS)).max(SEARCH_KINDS.length).default([]),
  reliability: z.array(z.enum(RELIABILITY_GRADES)).max(RELIABILITY_GRADES.length).default([]),
  credibility: z.array(credibility).max(CREDIBILITY_GRADES.length).default([]),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(100000).default(0),
});
export type SearchQueryInput = z.input<typeof searchQuery>;
export type SearchQuery = z.output<typeof searchQuery>;

export const mentionQuery = z.object({
  entityId: id.optional(),
  /** Entities called so, by name or alias, in any case (the command line's --entity). */
  entityName: z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'Give the name of an entity.').max(500, 'The name is longer than 500 characters.'))
    .optional(),
  attachmentId: id.optional(),
});

export const mentionExcerpt = z.object({
  entityId: id,
  attachmentId: id,
  /** The page of a paged file; null where the file has no pages. */
  page: z.number().int('The page is a whole number.').min(1, 'Pages are counted from 1.').max(1_000_000).nullish().transform((v) => v ?? null),
  start: z.number().int().min(0).max(2_000_000_000),
  end: z.number().int().min(1).max(2_000_000_000),
  /** Quote the sentence around the mention (the default) or the mention alone. */
  span: z.enum(['sentence', 'mention']).default('sentence'),
  credibility: credibility.default(3),
  comment: optionalText(20000, 'The comment'),
}).refine((m) => m.end > m.start, { message: 'The mention must end after it starts.', path: ['end'] });

/**
 * A passage quoted and made a claim in one step: a new entity (the passage as
 * its name or one of its aliases) or an existing one that gains the passage as
 * an alias; either way the entity cites the new excerpt.
 */
export const excerptClaim = z.object({
  sourceId: id,
  fields: excerptFields,
  entity: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('new'), fields: entityFields }),
    z.object({
      kind: z.literal('existing'),
      id,
      /** The alias to add; none, or one the entity already has, adds nothing. */
      alias: aliasInput.omit({ id: true }).nullish().transform((v) => v ?? null),
    }),
  ]),
});
export type ExcerptClaimInput = z.output<typeof excerptClaim>;

/** The excerpt made, the entity that now cites it, and whether the entity gained an alias. */
export interface ExcerptClaimAnswer {
  excerpt: Excerpt;
  entity: Entity;
  aliasAdded: boolean;
}

const bySource = z.object({ sourceId: id });

/** Operations on attachments, excerpts and search. */
export const evidenceOperations = {
  'attachments.add': op<AttachResult>()(attachmentAdd, true, { paths: [{ field: 'file.path', mode: 'open' }] }),
  'attachments.list': op<Attachment[]>()(bySource, false),
  'attachments.get': op<Attachment>()(byId, false),
  'attachments.text': op<AttachmentText>()(byId, false),
  'attachments.content': op<AttachmentContent>()(byId, false),
  'attachments.export': op<ExportedAttachment>()(z.object({ id, path: z.string().min(1, 'Choose where to save the file.').max(4096) }), false, {
    paths: [{ field: 'path', mode: 'save' }],
  }),
  'attachments.delete': op<{ id: string }>()(byId, true),
  'excerpts.list': op<Excerpt[]>()(bySource, false),
  'excerpts.get': op<Excerpt>()(byId, false),
  'excerpts.create': op<Excerpt>()(excerptCreate, true),
  'excerpts.update': op<Excerpt>()(excerptUpdate, true),
  'excerpts.delete': op<{ id: string }>()(byId, true),
  'excerpts.claim': op<ExcerptClaimAnswer>()(excerptClaim, true),
  'search.query': op<SearchResult>()(searchQuery, false),
  'mentions.list': op<MentionList>()(mentionQuery, false),
  'mentions.excerpt': op<Excerpt>()(mentionExcerpt, true),
};
