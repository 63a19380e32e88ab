# What a machine runs at boot: the inventory (ops/cluster's format, checked by ops/lib/inventory.sh)
# written by cloud-init, its secrets fetched from Secrets Manager, then `ops/cellshop host up` for
# its own host — the very command the simulated network (`ops/cellshop cluster up`) runs in each
# namespace. Every tier module renders its machines' user data through this module.

locals {
  # Filled in at boot from the instance metadata by a machine of an auto scaling group.
  self_address_placeholder = "__SELF_ADDRESS__"
  self = {
    name    = var.self.name
    address = coalesce(var.self.address, local.self_address_placeholder)
    roles   = var.self.roles
  }
  # The machines of auto scaling groups (routers, cell runtimes) are not in it: they find the rest
  # through ZooKeeper. So it is never the whole platform: "partial".
  inventory = {
    name            = var.platform.name
    secrets         = { dir = var.platform.secrets_dir }
    ports           = var.platform.ports
    runtimesPerCell = var.platform.runtimes_per_cell
    partial         = true
    hosts           = concat([for h in var.hosts : h if h.name != var.self.name], [local.self])
  }
  inventory_path = "/etc/cellshop/inventory.json"
  user_data = templatefile("${path.module}/cloud-init.yaml.tftpl", {
    inventory_json         = jsonencode(local.inventory)
    inventory_path         = local.inventory_path
    managed_endpoints_json = jsonencode(var.managed_endpoints)
    host_name              = var.self.name
    secrets_dir            = var.platform.secrets_dir
    secrets                = var.secrets
    region                 = var.region
    repository_url         = var.repository.url
    repository_ref         = var.repository.ref
    self_placeholder       = local.self_address_placeholder
    data_device            = var.data_volume_id == null ? "" : "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${replace(var.data_volume_id, "-", "")}"
    state_dir              = "/var/lib/cellshop"
  })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name_prefix        = "${var.name_prefix}-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

# A machine reads its own secrets and nothing else: a cell's runtime cannot read another cell's password.
data "aws_iam_policy_document" "secrets" {
  count = length(var.secrets) > 0 ? 1 : 0
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = sort(distinct(values(var.secrets)))
  }
}

resource "aws_iam_role_policy" "secrets" {
  count  = length(var.secrets) > 0 ? 1 : 0
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.secrets[0].json
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "this" {
  name_prefix = "${var.name_prefix}-"
  role        = aws_iam_role.this.name
  tags        = var.tags
}
