'use strict';
// The checker against the real terraform/ tree and against copies of it with one deliberate mistake each.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { check } = require('./checks');

const repo = path.resolve(__dirname, '..', '..');
const tree = path.join(repo, 'terraform');
const options = { repo, validator: process.env.CELLSHOP_INVENTORY_VALIDATOR || path.join(repo, 'ops', 'lib', 'inventory.sh') };

/** The problems of a copy of the tree in which `from` (which must be there) became `to` in `file`. */
async function problemsWith(file, from, to) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cellshop-tf-test-'));
  try {
    fs.cpSync(tree, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) });
    const target = path.join(copy, file);
    const text = fs.readFileSync(target, 'utf8');
    assert.ok(text.includes(from), `${file} no longer holds ${JSON.stringify(from)}: update this test`);
    fs.writeFileSync(target, text.replace(from, to));
    return await check(copy, options);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

function assertProblem(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
}

test('the_real_tree_passes_every_check', async () => {
  assert.deepEqual(await check(tree, options), []);
});

test('a_misspelt_variable_is_reported_where_it_is_used', async () => {
  const problems = await problemsWith('modules/cell/main.tf', 'roles = ["cell:${var.cell_id}"]', 'roles = ["cell:${var.cel_id}"]');
  assertProblem(problems, /modules\/cell\/main\.tf: var\.cel_id is not declared in modules\/cell/);
});

test('a_declared_variable_nothing_uses_is_reported', async () => {
  const problems = await problemsWith('modules/zookeeper/main.tf', 'volume_size_gb     = var.volume_size_gb', 'volume_size_gb     = 20');
  assertProblem(problems, /modules\/zookeeper\/variables\.tf: variable "volume_size_gb" is declared but never used/);
});

test('a_variable_without_type_or_description_is_reported', async () => {
  const problems = await problemsWith('modules/zookeeper/variables.tf', '  type        = string\n  default     = "t3.small"', '  default     = "t3.small"');
  assertProblem(problems, /modules\/zookeeper\/variables\.tf: variable "instance_type" has no type/);
});

test('a_referenced_output_that_is_missing_is_reported', async () => {
  const problems = await problemsWith('modules/cell/outputs.tf', 'output "endpoints" {', 'output "store_endpoints" {');
  assertProblem(problems, /environments\/example\/main\.tf: module\.cell\.endpoints: modules\/cell has no output "endpoints"/);
});

test('a_module_input_the_module_does_not_declare_is_reported', async () => {
  const problems = await problemsWith('environments/example/main.tf', '  signing_secret_arn              = module.control_plane.signing_secret_arn\n  ami_id',
    '  signing_secret_arnn             = module.control_plane.signing_secret_arn\n  ami_id');
  assertProblem(problems, /module "router": input "signing_secret_arnn" is not a variable of modules\/router/);
  assertProblem(problems, /module "router": required input "signing_secret_arn" of modules\/router is not given/);
});

test('a_reference_to_a_module_block_that_does_not_exist_is_reported', async () => {
  const problems = await problemsWith('environments/example/main.tf', 'module.control_plane.signing_secret_arn', 'module.control.signing_secret_arn');
  assertProblem(problems, /module\.control\.signing_secret_arn: no module "control" in environments\/example/);
});

test('a_role_the_inventory_does_not_know_is_reported', async () => {
  const problems = await problemsWith('modules/control-plane/main.tf', 'roles              = ["control-plane"]', 'roles              = ["controlplane"]');
  assertProblem(problems, /local\.inventory, rendered with sample values, fails .*unknown role "controlplane"/);
});

test('an_inventory_key_the_format_does_not_have_is_reported', async () => {
  const problems = await problemsWith('modules/boot/main.tf', '    partial         = true', '    partial         = true\n    region          = var.region');
  assertProblem(problems, /local\.inventory, rendered with sample values, fails .*unknown key "region"/);
});

test('a_host_key_the_format_does_not_have_is_reported', async () => {
  const problems = await problemsWith('modules/boot/main.tf', '    address = coalesce(', '    addr = coalesce(');
  assertProblem(problems, /local\.self has key "addr", which no inventory host has/);
});

test('a_file_that_does_not_parse_is_reported', async () => {
  const problems = await problemsWith('modules/network/outputs.tf', 'output "vpc_id" {', 'output "vpc_id" {{');
  assertProblem(problems, /modules\/network\/outputs\.tf: does not parse/);
});

test('a_name_the_template_uses_but_the_templatefile_call_does_not_give_is_reported', async () => {
  const problems = await problemsWith('modules/boot/main.tf', '    host_name              = var.self.name\n', '');
  assertProblem(problems, /templatefile cloud-init\.yaml\.tftpl uses "host_name", which the call does not give/);
});

test('cloud_init_that_does_not_start_the_host_as_the_simulation_does_is_reported', async () => {
  const problems = await problemsWith('modules/boot/cloud-init.yaml.tftpl', 'ExecStart=/opt/cellshop/ops/cellshop host up --inventory', 'ExecStart=/opt/cellshop/ops/cellshop host start --inventory');
  assertProblem(problems, /cloud-init\.yaml\.tftpl: never runs "ops\/cellshop host up --inventory FILE --host NAME"/);
});

test('cloud_init_that_starts_the_host_from_another_file_than_the_inventory_it_wrote_is_reported', async () => {
  const problems = await problemsWith('modules/boot/cloud-init.yaml.tftpl', 'host up --inventory ${inventory_path}', 'host up --inventory /etc/inventory.json');
  assertProblem(problems, /host up reads the inventory \/etc\/inventory\.json, but cloud-init writes/);
});

test('a_module_readme_that_misses_an_output_is_reported', async () => {
  const problems = await problemsWith('modules/router/README.md', '| `url` |', '| url |');
  assertProblem(problems, /modules\/router\/README\.md does not list the output `url`/);
});
