import { describe, expect, it } from 'vitest';
import { chromiumLaunchOptions, findChromium } from '../../db/reports/pdf';

describe('the Chromium that prints briefings', () => {
  it('keeps its sandbox for anyone but root', () => {
    const options = chromiumLaunchOptions('/usr/bin/chromium', false);
    expect(options.chromiumSandbox).toBe(true);
    expect(options.args).not.toContain('--no-sandbox');
  });

  it('runs without the sandbox only as root, where Chromium refuses it', () => {
    const options = chromiumLaunchOptions('/usr/bin/chromium', true);
    expect(options.chromiumSandbox).toBe(false);
    expect(options.args.filter((arg) => arg.includes('sandbox'))).toEqual([]);
  });

  it('asks the system whether it runs as root when not told', () => {
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    expect(chromiumLaunchOptions('/usr/bin/chromium').chromiumSandbox).toBe(!asRoot);
  });

  it('is found where it is asked for, or says how to point at one', () => {
    expect(findChromium('/opt/chromium', {}, (p) => p === '/opt/chromium')).toBe('/opt/chromium');
    expect(() => findChromium(null, {}, () => false)).toThrow(/install it, or give its path with --chromium/);
  });
});
