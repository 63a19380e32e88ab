'use strict';
// The checks of terraform/ that need no terraform binary and no cloud (issue 18, item 4):
//  - every .tf file parses (HashiCorp's HCL2 parser);
//  - every var.X a module uses is declared in it, every declared one is used, typed and described;
//  - every module block's inputs are variables of the module it sources, and gives each required one;
//  - every module.X(.Y) referenced is a module block of that directory with an output Y;
//  - a templatefile() gets every name its template uses; a module's README lists its inputs and outputs;
//  - the inventory the boot module writes, rendered with sample values, passes the inventory
//    validator of `ops/cellshop host` (ops/lib/inventory.sh), with every role the tree assigns;
//  - cloud-init starts the host with `ops/cellshop host up --inventory FILE --host NAME`, FILE
//    being the inventory it wrote: the command the simulated network runs for each host.
// References are read from the parser's expression text with patterns, so a reference hidden
// behind a for-expression's variable (`for c in module.cell : c.x`) is not checked: write
// module.cell[k].x instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseTree, objectKeys, strings } = require('./hcl');

const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const VAR_REF = /(?<![\w.])var\.([A-Za-z_][\w-]*)/g;
const MODULE_REF = /(?<![\w.])module\.([A-Za-z_][\w-]*)((?:\[[^\]]*\])*)(?:\.([A-Za-z_][\w-]*))?/g;

/** One directory's declarations and expressions. */
function moduleOf(dir, files) {
  const m = { dir, files, variables: {}, outputs: {}, modules: {}, locals: {}, expressions: [] };
  for (const [file, json] of Object.entries(files)) {
    for (const [name, [block]] of Object.entries(json.variable || {})) m.variables[name] = { file, block };
    for (const [name, [block]] of Object.entries(json.output || {})) m.outputs[name] = { file, block };
    for (const [name, [block]] of Object.entries(json.module || {})) m.modules[name] = { file, block };
    for (const l of json.locals || []) for (const [name, v] of Object.entries(l)) m.locals[name] = { file, value: v };
    for (const { at, text } of strings(json)) if (text.includes('${')) m.expressions.push({ file, at, text });
  }
  return m;
}

function checkVariables(m, problems) {
  const used = new Set();
  for (const { file, at, text } of m.expressions) {
    for (const [, name] of text.matchAll(VAR_REF)) {
      if (at[0] !== 'variable') used.add(name); // its own validation is no use of a variable
      if (!m.variables[name]) problems.push(`${path.join(m.dir, file)}: var.${name} is not declared in ${m.dir}`);
    }
  }
  for (const [name, { file, block }] of Object.entries(m.variables)) {
    const where = `${path.join(m.dir, file)}: variable "${name}"`;
    if (!used.has(name)) problems.push(`${where} is declared but never used`);
    if (block.type === undefined) problems.push(`${where} has no type`);
    if (!block.description) problems.push(`${where} has no description`);
  }
  for (const [name, { file, block }] of Object.entries(m.outputs)) {
    if (!block.description) problems.push(`${path.join(m.dir, file)}: output "${name}" has no description`);
  }
}

function checkModuleCalls(m, modules, problems) {
  for (const [name, { file, block }] of Object.entries(m.modules)) {
    const where = `${path.join(m.dir, file)}: module "${name}"`;
    if (typeof block.source !== 'string' || !/^\.\.?\//.test(block.source)) continue; // a registry module: not ours to check
    const target = modules.get(path.normalize(path.join(m.dir, block.source)));
    if (!target) { problems.push(`${where}: source ${block.source} is no module of this tree`); continue; }
    for (const input of Object.keys(block).filter((k) => !META_ARGUMENTS.has(k))) {
      if (!target.variables[input]) problems.push(`${where}: input "${input}" is not a variable of ${target.dir}`);
    }
    for (const [v, { block: decl }] of Object.entries(target.variables)) {
      if (!('default' in decl) && !(v in block)) problems.push(`${where}: required input "${v}" of ${target.dir} is not given`);
    }
  }
  for (const { file, text } of m.expressions) {
    for (const [, name, , output] of text.matchAll(MODULE_REF)) {
      const where = `${path.join(m.dir, file)}: module.${name}${output ? '.' + output : ''}`;
      const call = m.modules[name];
      if (!call) { problems.push(`${where}: no module "${name}" in ${m.dir}`); continue; }
      const target = modules.get(path.normalize(path.join(m.dir, call.block.source)));
      if (target && output && !target.outputs[output]) problems.push(`${where}: ${target.dir} has no output "${output}"`);
    }
  }
}

/** The names a template uses: in ${...} and %{...}, bare identifiers that are not functions, keywords or loop variables. */
function templateNames(text) {
  const names = new Set();
  const bound = new Set();
  const keywords = new Set(['for', 'in', 'if', 'else', 'endif', 'endfor', 'true', 'false', 'null']);
  for (const [, kind, body] of text.matchAll(/(?<![$%])([$%])\{~?([^}]*)\}/g)) {
    const loop = kind === '%' && body.match(/^\s*for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s/);
    if (loop) { bound.add(loop[1]); if (loop[2]) bound.add(loop[2]); }
    const code = body.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const t of code.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(\s*\()?/g)) {
      if (!t[2] && !keywords.has(t[1])) names.add(t[1]);
    }
  }
  return [...names].filter((n) => !bound.has(n));
}

function checkTemplates(root, m, problems) {
  for (const { file, text } of m.expressions) {
    for (const call of text.matchAll(/templatefile\(\s*"\$\{path\.module\}\/([^"]+)"\s*,/g)) {
      const where = `${path.join(m.dir, file)}: templatefile ${call[1]}`;
      const templatePath = path.join(root, m.dir, call[1]);
      if (!fs.existsSync(templatePath)) { problems.push(`${where}: no such file`); continue; }
      const given = new Set(objectKeys(text.slice(call.index + call[0].length)));
      for (const name of templateNames(fs.readFileSync(templatePath, 'utf8'))) {
        if (!given.has(name)) problems.push(`${where} uses "${name}", which the call does not give`);
      }
    }
  }
}

// The sample values of the inventory's keys (ops/lib/inventory.sh documents each).
const SAMPLE = {
  name: 'example',
  secrets: { dir: '/etc/cellshop/secrets' },
  ports: { base: 13000, router: 8080, control: 8090 },
  runtimesPerCell: 2,
  partial: true,
};
const SAMPLE_COUNT = { zookeeper: 3, kafka: 3, 'control-plane': 2, router: 2 };

/** Every literal role the tree gives a host (roles = [...]), "${...}" parts filled with a sample id. */
function rolesOf(modules) {
  const roles = new Set();
  const add = (literal) => roles.add(literal.replace(/\$\{[^}]*\}/g, 'cell-a'));
  const fromText = (list) => { for (const [, literal] of list.matchAll(/"((?:[^"\\]|\\.)*)"/g)) add(literal); };
  for (const m of modules.values()) {
    for (const json of Object.values(m.files)) {
      for (const { at, text } of strings(json)) {
        if (at[at.length - 1] === 'roles') {
          if (text.trim().startsWith('${[')) fromText(text); // a list expression
          else if (!text.trim().startsWith('${var.') && !text.trim().startsWith('${local.')) add(text); // an element of a literal list
        }
        for (const [, list] of text.matchAll(/\broles\s*=\s*\[([^\]]*)\]/g)) fromText(list);
      }
    }
  }
  return [...roles].sort();
}

/** The inventory the boot module would write, with sample values: its own keys and every role of the tree. */
function sampleInventory(boot, roles) {
  const inventoryKeys = objectKeys(boot.locals.inventory.value);
  const hostKeys = boot.locals.self ? objectKeys(boot.locals.self.value) : ['name', 'address', 'roles'];
  const hosts = [];
  for (const role of roles) {
    for (let i = 1; i <= (SAMPLE_COUNT[role] || 1); i++) {
      const n = hosts.length + 1;
      const sample = { name: `${role.replace(/[^a-z0-9]+/g, '-')}-${i}`, address: `10.40.48.${10 + n}`, roles: [role] };
      hosts.push(Object.fromEntries(hostKeys.map((k) => [k, k in sample ? sample[k] : `<sample ${k}>`])));
    }
  }
  return Object.fromEntries(inventoryKeys.map((k) => [k, k === 'hosts' ? hosts : k in SAMPLE ? SAMPLE[k] : `<sample ${k}>`]));
}

/** The problems the inventory validator finds in inventory (one per line; none when valid). */
function validateInventory(inventory, validator) {
  if (!fs.existsSync(validator)) throw new Error(`the inventory validator ${validator} is missing`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cellshop-tf-')), 'inventory.json');
  fs.writeFileSync(file, JSON.stringify(inventory, null, 2));
  try {
    const out = execFileSync('bash', ['-c', 'source "$1" && inventory_errors "$2"', 'validate', validator, file], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l.trim());
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

function checkInventory(root, modules, options, problems) {
  const boots = [...modules.values()].filter((m) => m.locals.inventory);
  if (boots.length === 0) { problems.push('no module builds the inventory (a local named "inventory")'); return; }
  const roles = rolesOf(modules);
  for (const boot of boots) {
    const where = `${path.join(boot.dir, boot.locals.inventory.file)}: local.inventory`;
    for (const name of ['hosts', 'self']) {
      const local = boot.locals[name];
      if (!local) continue;
      for (const k of objectKeys(local.value)) {
        if (!['name', 'address', 'roles'].includes(k)) problems.push(`${path.join(boot.dir, local.file)}: local.${name} has key "${k}", which no inventory host has (name, address, roles)`);
      }
    }
    for (const line of validateInventory(sampleInventory(boot, roles), options.validator)) {
      problems.push(`${where}, rendered with sample values, fails ${path.relative(options.repo, options.validator)}: ${line}`);
    }
    checkBootCommand(root, boot, options, problems);
  }
}

// The host is started exactly as the simulation starts each of its hosts.
const HOST_UP = /ops\/cellshop host up --inventory (\S+) --host (\S+)/;

function checkBootCommand(root, boot, options, problems) {
  const templates = boot.expressions.flatMap(({ text }) => [...text.matchAll(/templatefile\(\s*"\$\{path\.module\}\/([^"]+)"/g)].map((c) => c[1]));
  for (const name of templates) {
    const file = path.join(root, boot.dir, name);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const where = path.join(boot.dir, name);
    const command = text.match(HOST_UP);
    if (!command) { problems.push(`${where}: never runs "ops/cellshop host up --inventory FILE --host NAME"`); continue; }
    const written = [...text.matchAll(/^\s*- path: (\S+)/gm)].map((p) => p[1]);
    if (!written.includes(command[1])) problems.push(`${where}: host up reads the inventory ${command[1]}, but cloud-init writes ${written.join(', ')}`);
    const host = path.join(options.repo, 'ops', 'lib', 'host.sh');
    if (fs.existsSync(host)) {
      const parser = fs.readFileSync(host, 'utf8');
      for (const flag of ['--inventory', '--host']) if (!parser.includes(flag)) problems.push(`${where}: ops/cellshop host takes no ${flag} (ops/lib/host.sh)`);
    }
  }
}

// A module's README lists its inputs and outputs: each by name, in backticks.
function checkReadme(root, m, problems) {
  if (!m.dir.startsWith('modules')) return;
  const file = path.join(root, m.dir, 'README.md');
  if (!fs.existsSync(file)) { problems.push(`${m.dir}: no README.md (its inputs and outputs)`); return; }
  const text = fs.readFileSync(file, 'utf8');
  for (const [kind, names] of [['input', m.variables], ['output', m.outputs]]) {
    for (const name of Object.keys(names)) if (!text.includes('`' + name + '`')) problems.push(`${m.dir}/README.md does not list the ${kind} \`${name}\``);
  }
}

/** Every problem of the tree at root (terraform/), as lines; empty when it passes. */
async function check(root, options) {
  const { parsed, problems } = await parseTree(root);
  const modules = new Map([...parsed].map(([dir, files]) => [dir, moduleOf(dir, files)]));
  for (const m of modules.values()) {
    checkVariables(m, problems);
    checkModuleCalls(m, modules, problems);
    checkTemplates(root, m, problems);
    checkReadme(root, m, problems);
  }
  checkInventory(root, modules, options, problems);
  return problems;
}

module.exports = { check, objectKeys, templateNames, sampleInventory, rolesOf, moduleOf };
