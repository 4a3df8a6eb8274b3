import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/temp';
import { SOAK } from './child-bundle';

/** Keeps what a hardening run measured in test-results/hardening/, for docs/security.md. */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const dir = path.join(repoRoot, 'test-results', 'hardening');
  mkdirSync(dir, { recursive: true });
  const record = { name, soak: SOAK, at: new Date().toISOString(), ...figures };
  writeFileSync(path.join(dir, `${name}${SOAK ? '.soak' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`${name}: ${JSON.stringify(figures)}`);
}
