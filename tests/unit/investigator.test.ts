import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../db/host/workspace';
import { distDir, tempDir } from '../helpers/temp';

describe("the investigator's name in the audit log", () => {
  let workspace: Workspace | null = null;
  afterEach(async () => {
    await workspace?.dispose();
    workspace = null;
  });

  it('is asked for once, then recorded with every change', async () => {
    const dataDir = tempDir();
    workspace = new Workspace({ door: 'browser', dataDir, workerPath: path.join(distDir, 'db-worker.cjs') });
    await workspace.newCase(undefined, 'Audit test');
    const first = await workspace.call('app.state', {});
    expect(first.investigator).toBeNull();
    expect(first.defaultInvestigator.length).toBeGreaterThan(0);

    await workspace.call('app.setInvestigator', { name: '  Анна Петрова  ' });
    expect((await workspace.call('app.state', {})).investigator).toBe('Анна Петрова');
    const source = await workspace.call('sources.create', { kind: 'report', title: 'ASPI findings', reliability: 'B' });
    const history = await workspace.call('history.page', { startRow: 0, endRow: 10 });
    const created = history.rows.find((row) => JSON.stringify(row).includes(source.id) || JSON.stringify(row).includes('ASPI findings'));
    expect(JSON.stringify(created ?? history.rows)).toContain('Анна Петрова');
  });

  it('"not now" is remembered, and changes are recorded under the system user name', async () => {
    const dataDir = tempDir();
    workspace = new Workspace({ door: 'browser', dataDir, workerPath: path.join(distDir, 'db-worker.cjs') });
    await workspace.call('app.setInvestigator', { name: '' });
    const state = await workspace.call('app.state', {});
    expect(state.investigator).toBe('');
    expect(workspace.settings.actor()).toBe(state.defaultInvestigator);
  });
});
