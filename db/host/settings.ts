import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { RecentCase } from '../../shared/contract';

export { defaultDataDir } from '../core/data-dir';

const settingsSchema = z.object({
  recent: z.array(z.object({ path: z.string(), title: z.string(), openedAt: z.string() })).default([]),
  lastCase: z.string().nullable().default(null),
  investigator: z.string().nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;

const MAX_RECENT = 10;

export class SettingsStore {
  readonly file: string;

  constructor(readonly dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  read(): Settings {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing or unreadable settings: start from defaults rather than refuse to start.
    }
    return settingsSchema.parse({});
  }

  private write(settings: Settings): void {
    mkdirSync(this.dataDir, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }

  /**
   * The recent cases whose files are still there, newest first. A file that is gone (deleted, moved, on a
   * drive that is not attached) is left out of the list but stays in the settings, so it comes back when
   * the drive does.
   */
  recentCases(): RecentCase[] {
    return this.read().recent.filter((entry) => existsSync(entry.path));
  }

  rememberOpened(entry: Omit<RecentCase, 'openedAt'>): void {
    const settings = this.read();
    const recent = [{ ...entry, openedAt: new Date().toISOString() }, ...settings.recent.filter((r) => r.path !== entry.path)].slice(0, MAX_RECENT);
    this.write({ ...settings, recent, lastCase: entry.path });
  }

  /** Records the investigator's name for the audit log; an empty name means "asked, but keep the system user name". */
  setInvestigator(name: string): void {
    this.write({ ...this.read(), investigator: name });
  }

  forgetLastCase(): void {
    this.write({ ...this.read(), lastCase: null });
  }

  forget(file: string): void {
    const settings = this.read();
    this.write({ ...settings, recent: settings.recent.filter((r) => r.path !== file), lastCase: settings.lastCase === file ? null : settings.lastCase });
  }

  actor(): string {
    const name = this.read().investigator;
    if (name) return name;
    return systemUserName();
  }
}

function systemUserName(): string {
  try {
    return os.userInfo().username || 'investigator';
  } catch {
    return 'investigator';
  }
}
