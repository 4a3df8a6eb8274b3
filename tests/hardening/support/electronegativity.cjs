// Runs electronegativity's scanner without the network. Its command line does not start
// (it expects an old commander), so its runner is called directly; `got`, which it uses to
// download translations and Electron's release list, is replaced by a stub that always fails.
const path = require('node:path');

const [input, electronVersion] = process.argv.slice(2);
const root = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = require.resolve('got', { paths: [root] });
const offline = () => Promise.reject(new Error('offline'));
offline.head = offline;
offline.get = offline;
offline.default = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };

const run = require('@doyensec/electronegativity');

// Its logger and its translation fallback write to stdout; keep stdout for the JSON result.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest);
console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);

run({
  input: path.resolve(input),
  output: undefined,
  isSarif: false,
  customScan: [],
  // The only check that needs the network: it compares the Electron version with the release list online.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  severitySet: undefined,
  confidenceSet: undefined,
  isRelative: true,
  isVerbose: false,
  electronUpgrade: undefined,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
})
  .then((result) => {
    const issues = result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file,
      line: issue.location ? issue.location.line : null,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      description: issue.description,
      manualReview: Boolean(issue.manualReview),
    }));
    write(`${JSON.stringify({ atomicChecks: result.atomicChecks, globalChecks: result.globalChecks, errors: result.errors.length, issues })}\n`);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
