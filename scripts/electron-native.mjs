// Builds better-sqlite3 for the installed Electron into .electron-native/<electron version>/,
// which electron/native-binding.ts loads in development. The build happens in a scratch copy,
// so node_modules/better-sqlite3 stays built for Node and the tests and command line keep working.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuild } from '@electron/rebuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const electronVersion = readJson(path.join(root, 'node_modules/electron/package.json')).version;
const moduleSource = path.join(root, 'node_modules/better-sqlite3');
const moduleVersion = readJson(path.join(moduleSource, 'package.json')).version;
const targetDir = path.join(root, '.electron-native', electronVersion);
const target = path.join(targetDir, 'better_sqlite3.node');
// Records which better-sqlite3 the binary was built from: after an upgrade, the old binary would not fit the new JavaScript.
const stampFile = path.join(targetDir, 'better-sqlite3-version');
const shown = path.relative(root, target);

function isCurrent() {
  return existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === moduleVersion;
}

async function build() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'caseboard-electron-native-'));
  try {
    const moduleCopy = path.join(scratch, 'node_modules/better-sqlite3');
    // The Node build output is left behind; the rebuild makes its own.
    const nodeBuild = path.join(moduleSource, 'build');
    cpSync(moduleSource, moduleCopy, { recursive: true, filter: (file) => file !== nodeBuild && !file.startsWith(nodeBuild + path.sep) });
    writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'caseboard-electron-native', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': moduleVersion } }),
    );
    await rebuild({ buildPath: scratch, projectRootPath: scratch, electronVersion, onlyModules: ['better-sqlite3'], force: true });
    const built = path.join(moduleCopy, 'build/Release/better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`the rebuild finished without producing ${path.relative(scratch, built)}`);
    mkdirSync(targetDir, { recursive: true });
    // Copied under a temporary name and renamed, so an interrupted run never leaves half a binary in place.
    const partial = `${target}.partial`;
    copyFileSync(built, partial);
    renameSync(partial, target);
    writeFileSync(stampFile, `${moduleVersion}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isCurrent()) {
  console.log(`better-sqlite3 ${moduleVersion} for Electron ${electronVersion} is ready: ${shown}`);
} else {
  try {
    await build();
    console.log(`Built better-sqlite3 ${moduleVersion} for Electron ${electronVersion}: ${shown}`);
  } catch (error) {
    console.error(
      `Could not build better-sqlite3 for Electron ${electronVersion} (${error instanceof Error ? error.message : String(error)}). ` +
        'The build needs a C++ toolchain and the Electron headers (downloaded once into ~/.electron-gyp).',
    );
    process.exitCode = 1;
  }
}
