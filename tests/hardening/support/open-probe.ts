// Opens case files the way a user does and reports one JSON line per file:
// "opened", "refused" (a clean CaseboardError not_a_case_file) or "failed"
// (anything else). Dying, or hanging on a file, is for the parent to notice.
import { readFileSync, rmSync } from 'node:fs';
import { openCaseFile } from '../../../db/core/case-file';
import { getCaseDetails } from '../../../db/core/case-info';
import { checkCaseFile, decryptCaseFile } from '../../../db/share/share';
import { CaseboardError } from '../../../shared/errors';

export type ProbeMode = 'open' | 'check' | 'decrypt';

export interface ProbeLine {
  index: number;
  outcome: 'opened' | 'refused' | 'failed';
  detail: string;
}

const [mode, listFile, passphrase] = process.argv.slice(2) as [ProbeMode, string, string | undefined];
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

function probe(file: string): string {
  switch (mode) {
    case 'open': {
      const db = openCaseFile(file);
      try {
        return getCaseDetails(db).title;
      } finally {
        db.close();
      }
    }
    case 'check': {
      const report = checkCaseFile(file, passphrase);
      return `${report.integrity} ${report.foreignKeyProblems}`;
    }
    case 'decrypt': {
      const target = `${file}.decrypted`;
      try {
        return decryptCaseFile(file, target, passphrase ?? '').title;
      } finally {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
      }
    }
  }
}

process.stdout.write('{"ready":true}\n');
files.forEach((file, index) => {
  let line: ProbeLine;
  try {
    line = { index, outcome: 'opened', detail: probe(file).slice(0, 80) };
  } catch (error) {
    const refused = error instanceof CaseboardError && error.code === 'not_a_case_file';
    const code = (error as { code?: string }).code ?? '';
    line = { index, outcome: refused ? 'refused' : 'failed', detail: `${error instanceof Error ? error.name : typeof error} ${code}: ${String((error as Error).message).slice(0, 200)}` };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
