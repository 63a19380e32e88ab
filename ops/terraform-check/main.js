'use strict';
// node main.js [TERRAFORM_DIR]: prints every problem of the tree and exits 1 if there is one.
const path = require('node:path');
const { check } = require('./checks');

const repo = path.resolve(__dirname, '..', '..');
const root = path.resolve(process.argv[2] || path.join(repo, 'terraform'));
const validator = process.env.CELLSHOP_INVENTORY_VALIDATOR || path.join(repo, 'ops', 'lib', 'inventory.sh');

check(root, { repo, validator }).then((problems) => {
  for (const p of problems) console.log(`  - ${p}`);
  if (problems.length) {
    console.log(`terraform check: ${problems.length} problem(s) in ${root}`);
    process.exit(1);
  }
  console.log(`terraform check: ${root} passes (parsed, variables, module inputs and outputs, templates, inventory)`);
}, (e) => { console.error(e.stack || String(e)); process.exit(2); });
