# Two control planes on fixed addresses; they elect one leader through ZooKeeper for the work that
# must have one owner (moves, rebalance, evacuation). The platform-wide secrets live here: the
# platform token is the control plane's API credential, the signing secret the key routers sign
# with and cells check (both made once, as `ops/cellshop up` makes its files).

resource "random_password" "platform" {
  for_each = toset(["signing-secret", "platform-token"])
  length   = 48
  special  = false
}

resource "aws_secretsmanager_secret" "platform" {
  for_each                = random_password.platform
  name                    = "${var.platform.name}/${each.key}"
  description             = "cellshop ${each.key} of platform ${var.platform.name}"
  recovery_window_in_days = 7
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "platform" {
  for_each      = random_password.platform
  secret_id     = aws_secretsmanager_secret.platform[each.key].id
  secret_string = each.value.result
}

module "nodes" {
  source = "../fixed-nodes"

  name_prefix        = "control"
  node_count         = var.node_count
  roles              = ["control-plane"]
  subnet_ids         = var.subnet_ids
  subnet_cidrs       = var.subnet_cidrs
  host_number        = 30
  security_group_ids = [var.security_group_id]
  instance_type      = var.instance_type
  ami_id             = var.ami_id
  volume_size_gb     = 20
  key_name           = var.key_name
  platform           = var.platform
  platform_hosts     = var.platform_hosts
  secrets            = merge({ for k, s in aws_secretsmanager_secret.platform : k => s.arn }, var.cell_secrets)
  managed_endpoints  = var.managed_endpoints
  repository         = var.repository
  region             = var.region
  tags               = merge(var.tags, { "cellshop:tier" = "control-plane" })
}
