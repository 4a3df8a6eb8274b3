import { createHash } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import { MAX_ATTACHMENT_BYTES, MAX_INLINE_BYTES } from '../../shared/evidence';
import type { OperationName } from '../../shared/operation-names';
import { parseOperationInput } from '../../shared/validate';
import { checkAttachmentSize, readAttachmentFile } from '../../db/evidence/attachments';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import type { CaseOperationName, OperationContext } from '../../db/core/handler';
import { sniffMediaType } from '../../db/evidence/media-type';
import { runCaseOperationAsync } from '../../db/host/operations';
import { launchBrowser } from '../helpers/browser';
import { makeEvidenceFiles, REPORT_PAGES, type EvidenceFiles } from '../helpers/evidence-files';
import { tempDir } from '../helpers/temp';

let browser: Browser;
let files: EvidenceFiles;
let db: CaseDb;

const ctx: OperationContext = { actor: 'analyst', progress: () => undefined, throwIfCancelled: () => undefined };

function run<N extends CaseOperationName & OperationName>(name: N, input: OpInput<N>, context: OperationContext = ctx): Promise<OpOutput<N>> {
  return runCaseOperationAsync(db, name, input, context);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

/** FTS5's own check that both indexes agree exactly with search_docs. */
function indexIsConsistent(): boolean {
  db.prepare("INSERT INTO search_words (search_words, rank) VALUES ('integrity-check', 1)").run();
  db.prepare("INSERT INTO search_trigram (search_trigram, rank) VALUES ('integrity-check', 1)").run();
  return true;
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The fixture folder outlives single tests, so it is not a tempDir (those go after each test).
  const dir = path.join((await import('node:os')).tmpdir(), `caseboard-evidence-files-${process.pid}`);
  (await import('node:fs')).mkdirSync(dir, { recursive: true });
  files = await makeEvidenceFiles(browser, dir);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (files) (await import('node:fs')).rmSync(path.dirname(files.report), { recursive: true, force: true });
});

beforeEach(() => {
  db = createCaseFile(path.join(tempDir(), 'evidence.caseboard'), { title: 'Evidence' });
});

afterEach(() => {
  if (db.open) db.close();
});

describe('media types come from the bytes', () => {
  it('recognises each kind by its content, whatever the name says', () => {
    expect(sniffMediaType(readFileSync(files.report), 'x.txt')).toBe('application/pdf');
    expect(sniffMediaType(readFileSync(files.pngNamedPdf), 'not-really.pdf')).toBe('image/png');
    expect(sniffMediaType(readFileSync(files.html), 'page.pdf')).toBe('text/html');
    expect(sniffMediaType(readFileSync(files.mhtml), 'page.txt')).toBe('multipart/related');
    expect(sniffMediaType(readFileSync(files.text), 'notes.pdf')).toBe('text/plain');
    expect(sniffMediaType(readFileSync(files.markdown), 'summary.md')).toBe('text/markdown');
    expect(sniffMediaType(readFileSync(files.binary), 'capture.html')).toBe('application/octet-stream');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'photo.png')).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.png')).toBe('image/svg+xml');
    expect(sniffMediaType(new Uint8Array(0), 'empty.pdf')).toBe('text/plain');
  });
});

describe('importing files', () => {
  it('stores every kind of file on a new source with its type, size, hash and text', async () => {
    const expected: [keyof EvidenceFiles, string, string][] = [
      ['report', 'application/pdf', 'extracted'],
      ['scan', 'application/pdf', 'no_text'],
      ['html', 'text/html', 'extracted'],
      ['mhtml', 'multipart/related', 'extracted'],
      ['text', 'text/plain', 'extracted'],
      ['markdown', 'text/markdown', 'extracted'],
      ['wrongEncoding', 'text/plain', 'failed'],
      ['png', 'image/png', 'not_applicable'],
      ['pngNamedPdf', 'image/png', 'not_applicable'],
      ['corruptPdf', 'application/pdf', 'failed'],
      ['binary', 'application/octet-stream', 'not_applicable'],
    ];
    for (const [key, mediaType, textStatus] of expected) {
      const file = files[key];
      const result = await run('attachments.add', { file: { path: file }, allowDuplicate: true });
      const bytes = readFileSync(file);
      expect(result.createdSource, key).toBe(true);
      expect(result.attachment, key).toMatchObject({ name: path.basename(file), mediaType, textStatus, size: bytes.length, sha256: sha256(bytes), sourceId: result.sourceId });
      if (textStatus === 'extracted') expect(result.attachment.textNote, key).toBeNull();
      else expect(result.attachment.textNote, key).toMatch(/\w/);
    }
    expect(count('SELECT count(*) AS n FROM sources')).toBe(expected.length);
    expect(count('SELECT count(*) AS n FROM attachments')).toBe(expected.length);
    expect(count("SELECT count(*) AS n FROM audit_events WHERE item_type = 'attachment' AND action = 'create'")).toBe(expected.length);
  });

  it('names a new source after the document title, and gives it a kind that fits', async () => {
    const pdf = await run('attachments.add', { file: { path: files.report } });
    expect(pdf.sourceTitle).toBe('Joint research of defence universities');
    expect((await run('sources.get', { id: pdf.sourceId })).kind).toBe('report');
    const html = await run('attachments.add', { file: { path: files.html } });
    expect(html.sourceTitle).toBe('Harbin Institute of Technology and Bauman');
    expect((await run('sources.get', { id: html.sourceId })).kind).toBe('web_page');
    const text = await run('attachments.add', { file: { path: files.text } });
    expect(text.sourceTitle).toBe('notes');
  });

  it('extracts PDF text page by page, in Chinese, English and Russian', async () => {
    const { attachment } = await run('attachments.add', { file: { path: files.report } });
    expect(attachment.pageCount).toBe(3);
    const { pages } = await run('attachments.text', { id: attachment.id });
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    const squash = (t: string) => t.replace(/\s+/g, '');
    expect(squash(pages[0]!.text)).toContain(squash(REPORT_PAGES.zh));
    expect(squash(pages[1]!.text)).toContain(squash(REPORT_PAGES.en));
    expect(squash(pages[2]!.text)).toContain(squash(REPORT_PAGES.ru));
  });

  it('keeps only the visible text of web pages: no scripts, styles or hidden template text', async () => {
    for (const file of [files.html, files.mhtml]) {
      const { attachment } = await run('attachments.add', { file: { path: file } });
      const text = (await run('attachments.text', { id: attachment.id })).pages.map((p) => p.text).join('\n');
      expect(text).not.toMatch(/script-only-text|stylesheet-only|noscript-only-text|mhtml-script-text|beacon|alert/);
      if (file === files.html) expect(text).toContain('Vladimir Putin visited 哈尔滨工业大学 in 2024.');
      else expect(text).toContain('Xi’an Technological University and Peter the Great St. Petersburg Polytechnic University');
    }
  });

  it('attaches to an existing source when one is given', async () => {
    const source = await run('sources.create', { kind: 'article', title: 'RFE/RL article', reliability: 'B' });
    const result = await run('attachments.add', { sourceId: source.id, file: { path: files.report } });
    expect(result).toMatchObject({ sourceId: source.id, createdSource: false });
    expect((await run('attachments.list', { sourceId: source.id })).map((a) => a.name)).toEqual(['defence-universities.pdf']);
    expect(count('SELECT count(*) AS n FROM sources')).toBe(1);
  });

  it('accepts small files as base64, with the name given', async () => {
    const bytes = readFileSync(files.text);
    const result = await run('attachments.add', { file: { name: 'pasted.txt', base64: bytes.toString('base64') } });
    expect(result.attachment).toMatchObject({ name: 'pasted.txt', mediaType: 'text/plain', sha256: sha256(bytes) });
  });
});

describe('the bytes come back out unchanged', () => {
  it('saves an attachment to a file byte for byte, and serves the same bytes for viewing', async () => {
    for (const file of [files.report, files.png, files.binary]) {
      const original = readFileSync(file);
      const { attachment } = await run('attachments.add', { file: { path: file } });
      const target = path.join(tempDir(), `out-${path.basename(file)}`);
      const saved = await run('attachments.export', { id: attachment.id, path: target });
      const copy = readFileSync(target);
      expect(Buffer.compare(copy, original)).toBe(0);
      expect(sha256(copy)).toBe(attachment.sha256);
      expect(saved).toEqual({ path: target, size: original.length, sha256: sha256(original) });
      const content = await run('attachments.content', { id: attachment.id });
      expect(Buffer.compare(Buffer.from(content.base64, 'base64'), original)).toBe(0);
    }
  });

  it('refuses to overwrite an existing file or to save to a relative path', async () => {
    const { attachment } = await run('attachments.add', { file: { path: files.text } });
    const target = path.join(tempDir(), 'exists.txt');
    writeFileSync(target, 'keep me');
    await expect(run('attachments.export', { id: attachment.id, path: target })).rejects.toMatchObject({ code: 'conflict', message: 'exists.txt already exists; choose another name.' });
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    await expect(run('attachments.export', { id: attachment.id, path: 'relative.txt' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('duplicates and limits', () => {
  it('says where a file already is instead of storing it twice', async () => {
    const first = await run('attachments.add', { file: { path: files.report } });
    const again = run('attachments.add', { file: { path: files.report } });
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    await expect(run('attachments.add', { file: { path: files.report } })).rejects.toThrow(
      `defence-universities.pdf is already in the case: it is "defence-universities.pdf" on the source "${first.sourceTitle}".`,
    );
    expect(count('SELECT count(*) AS n FROM attachments')).toBe(1);
    expect(count('SELECT count(*) AS n FROM sources')).toBe(1);
    // A deliberate second copy is allowed.
    await run('attachments.add', { file: { path: files.report }, allowDuplicate: true });
    expect(count('SELECT count(*) AS n FROM attachments')).toBe(2);
  });

  it('refuses files over the size limit with a clear message, before reading them', () => {
    expect(() => checkAttachmentSize('huge.pdf', MAX_ATTACHMENT_BYTES + 1)).toThrow('huge.pdf is 512 MB; attachments can be at most 512 MB.');
    expect(() => checkAttachmentSize('ok.pdf', MAX_ATTACHMENT_BYTES)).not.toThrow();
    const sparse = path.join(tempDir(), 'huge.bin');
    writeFileSync(sparse, '');
    truncateSync(sparse, MAX_ATTACHMENT_BYTES + 4096);
    expect(() => readAttachmentFile(sparse)).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('at most 512 MB') }));
  });

  it('refuses base64 content over the inline limit in the schema', () => {
    const tooLong = 'A'.repeat(Math.ceil(MAX_INLINE_BYTES / 3) * 4 + 4);
    expect(() => parseOperationInput('attachments.add', { file: { name: 'x.bin', base64: tooLong } })).toThrow(CaseboardError);
  });

  it('reports missing files, folders and relative paths as errors of that one file', async () => {
    await expect(run('attachments.add', { file: { path: path.join(tempDir(), 'missing.pdf') } })).rejects.toMatchObject({ code: 'not_found', message: 'missing.pdf does not exist.' });
    await expect(run('attachments.add', { file: { path: tempDir() } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(run('attachments.add', { file: { path: 'relative.pdf' } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(count('SELECT count(*) AS n FROM sources')).toBe(0);
  });

  it('stores nothing when the import is cancelled while the text is read', async () => {
    let checks = 0;
    const cancelling: OperationContext = {
      ...ctx,
      throwIfCancelled: () => {
        checks += 1;
        if (checks >= 2) throw new CaseboardError('cancelled', 'The operation was cancelled; the case file was left as it was.');
      },
    };
    await expect(run('attachments.add', { file: { path: files.report } }, cancelling)).rejects.toMatchObject({ code: 'cancelled' });
    expect(count('SELECT count(*) AS n FROM sources')).toBe(0);
    expect(count('SELECT count(*) AS n FROM attachments')).toBe(0);
    expect(count('SELECT count(*) AS n FROM search_docs')).toBe(0);
  });
});

describe('excerpts', () => {
  it('keeps the page of a PDF passage and checks it against the attachment', async () => {
    const { attachment, sourceId } = await run('attachments.add', { file: { path: files.report } });
    const excerpt = await run('excerpts.create', {
      sourceId,
      fields: { attachmentId: attachment.id, quote: 'joint Master’s programme since 2017', page: 2, credibility: 2, comment: 'ASPI finding, cross-checked.' },
    });
    expect(excerpt).toMatchObject({ sourceId, attachmentId: attachment.id, page: 2, credibility: 2, charStart: null, citedBy: [] });
    await expect(run('excerpts.create', { sourceId, fields: { attachmentId: attachment.id, quote: 'x', page: 4, credibility: 2 } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'The attachment has 3 pages; page 4 is not one of them.',
    });
    const other = await run('sources.create', { kind: 'other', title: 'Other', reliability: 'C' });
    await expect(run('excerpts.create', { sourceId: other.id, fields: { attachmentId: attachment.id, quote: 'x', credibility: 3 } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await run('excerpts.list', { sourceId })).map((e) => e.id)).toEqual([excerpt.id]);
  });

  it('keeps character offsets for text passages, typed excerpts without files, and refuses bad grades', async () => {
    const { attachment, sourceId } = await run('attachments.add', { file: { path: files.text } });
    const text = (await run('attachments.text', { id: attachment.id })).pages[0]!.text;
    const quote = 'developed the Orlan-10 UAV';
    const start = text.indexOf(quote);
    const excerpt = await run('excerpts.create', { sourceId, fields: { attachmentId: attachment.id, quote, charStart: start, charEnd: start + quote.length, credibility: 3 } });
    expect(text.slice(excerpt.charStart!, excerpt.charEnd!)).toBe(quote);
    const typed = await run('excerpts.create', { sourceId, fields: { quote: 'Putin described HIT as inseparably connected with Russia.', location: 'paragraph 14', credibility: 3 } });
    expect(typed).toMatchObject({ attachmentId: null, page: null, location: 'paragraph 14' });
    for (const credibility of [0, 7, 2.5]) {
      expect(() => parseOperationInput('excerpts.create', { sourceId, fields: { quote: 'x', credibility } })).toThrow('Choose a credibility grade from 1 to 6.');
    }
    expect(() => parseOperationInput('excerpts.create', { sourceId, fields: { quote: 'x', credibility: 2, charStart: 10, charEnd: 5 } })).toThrow('The passage must end after it starts.');
    const updated = await run('excerpts.update', { id: typed.id, fields: { quote: typed.quote, credibility: 2, comment: 'Also on the Kremlin site.' } });
    expect(updated).toMatchObject({ credibility: 2, comment: 'Also on the Kremlin site.' });
    await run('excerpts.delete', { id: typed.id });
    expect((await run('excerpts.list', { sourceId })).length).toBe(1);
    expect(count("SELECT count(*) AS n FROM audit_events WHERE item_type = 'excerpt'")).toBe(4);
  });
});

describe('the search index stays consistent with what it indexes', () => {
  it('runs its triggers with trusted_schema off, and follows every insert, update and delete', async () => {
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    const source = await run('sources.create', { kind: 'article', title: 'Orlan-10 drones', reliability: 'B', notes: 'Special Technology Center' });
    const { attachment } = await run('attachments.add', { sourceId: source.id, file: { path: files.report } });
    const excerpt = await run('excerpts.create', { sourceId: source.id, fields: { attachmentId: attachment.id, quote: 'joint Master’s programme', page: 2, credibility: 2 } });
    expect(count('SELECT count(*) AS n FROM search_docs WHERE source_id = ?', source.id)).toBe(1 + 1 + 3 + 1);
    expect(indexIsConsistent()).toBe(true);

    const found = async (query: string) => (await run('search.query', { query })).hits.length;
    expect(await found('Orlan')).toBe(1);
    await run('sources.update', { id: source.id, fields: { kind: 'article', title: 'Special drones', reliability: 'B' } });
    expect(await found('Orlan')).toBe(0);
    expect(await found('Special')).toBe(1);
    await run('excerpts.update', { id: excerpt.id, fields: { attachmentId: attachment.id, quote: 'aircraft-engine development', page: 2, credibility: 2 } });
    expect((await run('search.query', { query: 'aircraft engine', kinds: ['excerpt'] })).hits.length).toBe(1);
    await run('attachments.delete', { id: attachment.id });
    expect(count('SELECT count(*) AS n FROM search_docs WHERE kind IN (\'attachment\', \'page\')')).toBe(0);
    expect((await run('excerpts.get', { id: excerpt.id })).attachmentId).toBeNull();
    expect(indexIsConsistent()).toBe(true);
    await run('sources.delete', { id: source.id });
    expect(count('SELECT count(*) AS n FROM search_docs')).toBe(0);
    expect(count('SELECT count(*) AS n FROM excerpts')).toBe(0);
    expect(indexIsConsistent()).toBe(true);
    expect(await found('aircraft')).toBe(0);
  });

  it('rolls the index back with the rest when a write fails', async () => {
    const { attachment, sourceId } = await run('attachments.add', { file: { path: files.report } });
    const before = count('SELECT count(*) AS n FROM search_docs');
    expect(() =>
      db.transaction(() => {
        db.prepare("UPDATE sources SET title = 'Renamed in a failed write' WHERE id = ?").run(sourceId);
        db.prepare('DELETE FROM attachments WHERE id = ?').run(attachment.id);
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    expect(count('SELECT count(*) AS n FROM search_docs')).toBe(before);
    expect((await run('search.query', { query: 'Renamed' })).total).toBe(0);
    expect((await run('search.query', { query: 'Beihang' })).total).toBeGreaterThan(0);
    expect(indexIsConsistent()).toBe(true);
  });
});
