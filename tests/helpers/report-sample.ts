import type { OpInput } from '../../shared/contract';
import type { ReportFieldsInput } from '../../shared/report';
import { seedSampleCase, type Caller } from './graph-sample';

export interface ReportSample {
  entities: Map<string, string>;
  links: string[];
  articleId: string;
  attachmentSha256: string;
  excerptIds: string[];
  reportId: string;
  fields: ReportFieldsInput;
}

export const REPORT_TITLE = 'Chinese defence universities and Russian aerospace institutes';
export const REPORT_MARKING = 'SENSITIVE — INVESTIGATORS ONLY';

/**
 * The sample case of case-facts.md with what a briefing needs on top: a
 * source with URL, accessed date and an attached file, graded excerpts of its
 * claims, and a saved report whose findings cite them.
 */
export async function seedReportSample(call: Caller): Promise<ReportSample> {
  const { entities, links } = await seedSampleCase(call);
  const article = await call('sources.create', {
    kind: 'article',
    title: 'Beihang and MAI: a joint master’s programme on aircraft engines',
    url: 'https://www.rferl.org/a/china-defense-universities-russia-sanctions/33000000.html',
    publisher: 'Radio Free Europe/Radio Liberty',
    authors: ['RFE/RL staff'],
    accessedAt: '2025-03-14T10:20',
    reliability: 'B',
  } as OpInput<'sources.create'>);
  const attached = await call('attachments.add', {
    sourceId: article.id,
    file: { name: 'article.txt', base64: Buffer.from('Beihang University and the Moscow Aviation Institute run a joint programme since 2017.\n').toString('base64') },
  } as OpInput<'attachments.add'>);
  const quotes: [string, number, string | null][] = [
    ['Beihang University and the Moscow Aviation Institute (MAI) have run a joint Master’s programme since 2017, aimed at aircraft-engine development.', 2, 'para. 12'],
    ['The cooperation is concentrated in aeronautics and drone technology.', 2, 'para. 4'],
    ['Vladimir Putin visited Harbin Institute of Technology in 2024 and described it as inseparably connected with Russia.', 3, 'para. 30'],
  ];
  const excerptIds: string[] = [];
  for (const [quote, credibility, location] of quotes) {
    const created = await call('excerpts.create', { sourceId: article.id, fields: { attachmentId: attached.attachment.id, quote, credibility, location } } as OpInput<'excerpts.create'>);
    excerptIds.push(created.id);
  }
  const beihang = entities.get('Beihang University') as string;
  const mai = entities.get('Moscow Aviation Institute') as string;
  await call('citations.add', { target: { kind: 'entity', id: beihang }, excerptId: excerptIds[0] as string });
  await call('citations.add', { target: { kind: 'entity', id: mai }, excerptId: excerptIds[0] as string });
  await call('citations.add', { target: { kind: 'link', id: links[0] as string }, excerptId: excerptIds[0] as string });
  const fields: ReportFieldsInput = {
    name: 'Aerospace briefing',
    title: REPORT_TITLE,
    author: 'Analyst One',
    date: '2025-03-20',
    marking: REPORT_MARKING,
    summary: 'Chinese universities tied to the defence sector deepened research ties with Russian institutions since 2019.\n\nThe cooperation is concentrated in aeronautics, aero-engines and drones.',
    findings: [
      { text: 'Beihang University and the Moscow Aviation Institute run a joint programme on aircraft engines.', excerptIds: [excerptIds[0] as string] },
      { text: 'The cooperation is concentrated in aeronautics and drone technology.', excerptIds: [excerptIds[1] as string, excerptIds[0] as string] },
      { text: 'Russia’s leadership describes Harbin Institute of Technology as inseparably connected with Russia.', excerptIds: [excerptIds[2] as string] },
    ],
    sections: [
      { kind: 'summary', enabled: true, notes: null },
      { kind: 'findings', enabled: true, notes: 'Findings rest on one outlet reporting preliminary research; treat them as leads to corroborate.' },
      { kind: 'entities', enabled: true, notes: null },
      { kind: 'relationships', enabled: true, notes: null },
      { kind: 'graph', enabled: true, notes: null },
      { kind: 'timeline', enabled: true, notes: null },
      { kind: 'evidence', enabled: true, notes: null },
      { kind: 'bibliography', enabled: true, notes: null },
    ],
  };
  const report = await call('reports.create', { fields });
  return { entities, links, articleId: article.id, attachmentSha256: attached.attachment.sha256, excerptIds, reportId: report.id, fields };
}
