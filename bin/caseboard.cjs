#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('Caseboard is not built yet; run "npm run build" in the Caseboard folder first.\n');
  process.exit(3);
}
require(cli);
