'use strict';
// Reading a Terraform tree with HashiCorp's HCL2 parser (the npm package @cdktf/hcl2json, a
// WebAssembly build of hashicorp/hcl): each .tf file becomes JSON in which every expression is a
// string "${...}". The checks (checks.js) read references and object keys out of those strings.
const fs = require('node:fs');
const path = require('node:path');

function parser() {
  const dir = process.env.CELLSHOP_TF_CHECK_MODULES;
  if (!dir) throw new Error('CELLSHOP_TF_CHECK_MODULES must name the node_modules holding @cdktf/hcl2json (ops/terraform-check/run sets it)');
  return require(path.join(dir, '@cdktf', 'hcl2json'));
}

/** Every directory under root holding .tf files => {file name => text}. */
function readTree(root) {
  const dirs = new Map();
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && e.name.endsWith('.tf')) {
        const rel = path.relative(root, dir) || '.';
        if (!dirs.has(rel)) dirs.set(rel, {});
        dirs.get(rel)[e.name] = fs.readFileSync(p, 'utf8');
      }
    }
  })(root);
  return dirs;
}

/** Parses every file; returns {parsed: dir => file => json, problems}. */
async function parseTree(root) {
  const { parse } = parser();
  const parsed = new Map();
  const problems = [];
  for (const [dir, files] of readTree(root)) {
    parsed.set(dir, {});
    for (const [name, text] of Object.entries(files)) {
      try {
        parsed.get(dir)[name] = await parse(path.join(dir, name), text);
      } catch (e) {
        problems.push(`${path.join(dir, name)}: does not parse: ${String(e.message || e).replace(/\s+/g, ' ')}`);
      }
    }
  }
  return { parsed, problems };
}

/** Top-level keys of an HCL object expression such as "${{ a = 1, b = { c = 2 } }}" (or a type's object({...})). */
function objectKeys(expr) {
  if (expr && typeof expr === 'object') return Object.keys(expr); // a literal object: the parser gave its keys
  if (typeof expr !== 'string') return [];
  let s = expr.trim();
  if (s.startsWith('${') && s.endsWith('}')) s = s.slice(2, -1).trim();
  const open = s.indexOf('{');
  if (open < 0) return [];
  const keys = [];
  let depth = 0, quoted = false, token = '', expectKey = true;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (quoted) { if (c === '\\') i++; else if (c === '"') quoted = false; continue; }
    if (c === '"') { quoted = true; continue; }
    if ('{[('.includes(c)) { depth++; expectKey = false; continue; }
    if ('}])'.includes(c)) { if (depth === 0) break; depth--; continue; }
    if (depth > 0) continue;
    if (c === ',' || c === '\n') { expectKey = true; token = ''; continue; }
    if (expectKey && (c === '=' || c === ':') && s[i + 1] !== '=') {
      const key = token.trim().replace(/^"|"$/g, '');
      if (/^[A-Za-z_][\w-]*$/.test(key)) keys.push(key);
      expectKey = false; token = '';
      continue;
    }
    if (expectKey) token += c;
  }
  return keys;
}

/** Every string value in a parsed block, with the attribute path that leads to it. */
function* strings(value, at = []) {
  if (typeof value === 'string') yield { at, text: value };
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, at);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...at, k]);
}

module.exports = { parseTree, objectKeys, strings };
