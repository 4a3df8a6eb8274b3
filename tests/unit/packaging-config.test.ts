import { builtinModules, createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// js-yaml and app-builder-lib ship with electron-builder and have no type declarations of their own.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface FileMatcher {
  createFilter(): (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;
}
const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (from: string, to: string, expand: (pattern: string) => string, patterns: string[]) => FileMatcher;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean }): Promise<void>;
};

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  publish: unknown;
  fileAssociations: { ext: string; name: string }[];
  linux: { target: string[]; maintainer?: string };
  win: { target: string[] };
  mac: { target: string[] };
  electronFuses: Record<string, boolean>;
}

const root = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; author?: { name?: string; email?: string }; homepage?: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
let config: BuilderConfig;

beforeAll(() => {
  config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
});

/** Whether electron-builder 26 would copy an app file, given the `files` patterns. */
function packaged(relative: string): boolean {
  const filter = new FileMatcher(root, '/app', (pattern) => pattern, [...config.files]).createFilter();
  return filter(path.join(root, relative), { isDirectory: () => false });
}

/**
 * Whether electron-builder 26 would copy a file of a production dependency:
 * it collects node_modules itself and applies only the `!` patterns of `files`.
 */
function packagedModuleFile(relative: string): boolean {
  const excludes = config.files.filter((pattern) => pattern.startsWith('!'));
  const filter = new FileMatcher(path.join(root, 'node_modules'), '/app', (pattern) => pattern, ['**/*', ...excludes]).createFilter();
  return filter(path.join(root, relative), { isDirectory: () => false, moduleFullFilePath: relative });
}

function unpacked(relative: string): boolean {
  const filter = new FileMatcher(root, '/app', (pattern) => pattern, [...config.asarUnpack]).createFilter();
  return filter(path.join(root, relative), { isDirectory: () => false });
}

describe('electron-builder.yml', () => {
  it('is a configuration the installed electron-builder accepts', async () => {
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
  });

  it('names the app and puts installers in release/', () => {
    expect(config.appId).toBe('org.caseboard.app');
    expect(config.productName).toBe('Caseboard');
    expect(config.directories.output).toBe('release');
  });

  it('builds an AppImage and a deb for Linux, an NSIS installer for Windows, a dmg for macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('names a maintainer with an email, which the deb needs', () => {
    expect(packageJson.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^@\s]+>$/);
    expect(packageJson.homepage).toMatch(/^https:\/\//);
  });

  it('opens .caseboard files', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'caseboard', name: 'Caseboard case' })]);
  });

  it('publishes nothing, so the app has no update channel', () => {
    expect(config).toHaveProperty('publish', null);
  });

  it('burns in the hardening fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('rebuilds native modules for Electron', () => {
    expect(config.npmRebuild).toBe(true);
  });

  it('unpacks better-sqlite3 and the database worker from the archive, and nothing else of ours', () => {
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('dist/db-worker.cjs')).toBe(true);
    expect(unpacked('dist/electron/main.cjs')).toBe(false);
    expect(unpacked('dist/electron/preload.cjs')).toBe(false);
    expect(unpacked('dist/renderer/index.html')).toBe(false);
  });

  it('packages the built app and package.json', () => {
    for (const file of [packageJson.main, 'dist/electron/preload.cjs', 'dist/db-worker.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index.js', 'package.json']) {
      expect(packaged(file), file).toBe(true);
    }
  });

  it('leaves out sources, tests, the command line and source maps', () => {
    for (const file of ['electron/main.ts', 'renderer/src/shell/main.tsx', 'db/host/workspace.ts', 'tests/unit/packaging-config.test.ts', 'scripts/build.mjs', 'dist/cli.cjs', 'dist/electron/main.cjs.map', 'electron-builder.yml', '.electron-native/45.5.0/better_sqlite3.node']) {
      expect(packaged(file), file).toBe(false);
    }
  });

  it('packages better-sqlite3 and what it loads it with', () => {
    for (const file of ['node_modules/better-sqlite3/package.json', 'node_modules/better-sqlite3/lib/index.js', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/bindings/bindings.js', 'node_modules/file-uri-to-path/index.js']) {
      expect(packagedModuleFile(file), file).toBe(true);
    }
  });

  it('leaves out every other dependency (the bundles contain them) and better-sqlite3 sources', () => {
    const others = Object.keys(packageJson.dependencies).filter((name) => name !== 'better-sqlite3');
    expect(others.length).toBeGreaterThan(0);
    for (const name of others) expect(packagedModuleFile(`node_modules/${name}/package.json`), name).toBe(false);
    for (const file of ['node_modules/prebuild-install/bin.js', 'node_modules/@scope/library/index.js', 'node_modules/better-sqlite3-helper/index.js', 'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/better-sqlite3/src/better_sqlite3.cpp']) {
      expect(packagedModuleFile(file), file).toBe(false);
    }
  });
});

describe('package.json', () => {
  it('keeps renderer-only libraries out of the dependencies electron-builder packages', () => {
    const runtime = Object.keys(packageJson.dependencies);
    for (const library of runtime) {
      expect(library, `${library} is a renderer library`).not.toMatch(/^(react|react-dom|ag-grid-.*|@ag-grid-.*|sigma|@sigma\/.*|graphology.*|@react-sigma\/.*)$/);
    }
  });

  it('starts the app from the bundled main process', () => {
    expect(packageJson.main).toBe('dist/electron/main.cjs');
  });
});

// The bundles exist once `npm run build` has run (npm test builds first).
const bundles = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/db-worker.cjs'];
const built = bundles.every((bundle) => existsSync(path.join(root, bundle)));

describe.skipIf(!built)('the built bundles', () => {
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const requiredPackages = (bundle: string) =>
    [...readFileSync(path.join(root, bundle), 'utf8').matchAll(/\brequire\("([^"./][^"]*)"\)/g)]
      .map((match) => match[1] ?? '')
      .filter((name) => !builtins.has(name) && name !== 'electron')
      .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : (name.split('/')[0] ?? name)));

  it.each(bundles)('%s loads only production dependencies that are packaged', (bundle) => {
    for (const name of requiredPackages(bundle)) {
      expect(Object.keys(packageJson.dependencies), `${bundle} requires ${name}`).toContain(name);
      expect(packagedModuleFile(`node_modules/${name}/package.json`), `${name} is left out of the package`).toBe(true);
    }
  });

  it('the sandboxed preload requires nothing but electron', () => {
    const required = [...readFileSync(path.join(root, 'dist/electron/preload.cjs'), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
