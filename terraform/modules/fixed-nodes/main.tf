# Nodes with stable addresses: each has its own network interface at a fixed private address in
# its zone and its own EBS disk; both outlive the instance, so a replaced node comes back as the
# same ZooKeeper myid / Kafka node.id with its data. Used by zookeeper, kafka and control-plane.

locals {
  zones = length(var.subnet_ids)
  nodes = {
    for i in range(var.node_count) : "${var.name_prefix}-${i + 1}" => {
      zone    = i % local.zones
      address = cidrhost(var.subnet_cidrs[i % local.zones], var.host_number + floor(i / local.zones))
    }
  }
  # Only variables feed this, never a resource: every module's hosts can go into every other's
  # inventory without a dependency cycle.
  hosts = [for name, n in local.nodes : { name = name, address = n.address, roles = var.roles }]
}

data "aws_subnet" "this" {
  count = local.zones
  id    = var.subnet_ids[count.index]
}

resource "aws_network_interface" "this" {
  for_each        = local.nodes
  subnet_id       = var.subnet_ids[each.value.zone]
  private_ips     = [each.value.address]
  security_groups = var.security_group_ids
  tags            = merge(var.tags, { Name = each.key })
}

resource "aws_ebs_volume" "data" {
  for_each          = local.nodes
  availability_zone = data.aws_subnet.this[each.value.zone].availability_zone
  size              = var.volume_size_gb
  type              = "gp3"
  encrypted         = true
  tags              = merge(var.tags, { Name = "${each.key}-data" })
}

module "boot" {
  source   = "../boot"
  for_each = local.nodes

  platform          = var.platform
  hosts             = var.platform_hosts
  self              = { name = each.key, address = each.value.address, roles = var.roles }
  secrets           = var.secrets
  managed_endpoints = var.managed_endpoints
  repository        = var.repository
  region            = var.region
  data_volume_id    = aws_ebs_volume.data[each.key].id
  name_prefix       = "${var.platform.name}-${each.key}"
  tags              = var.tags
}

resource "aws_instance" "this" {
  for_each             = local.nodes
  ami                  = var.ami_id
  instance_type        = var.instance_type
  key_name             = var.key_name
  iam_instance_profile = module.boot[each.key].instance_profile_name
  user_data            = module.boot[each.key].user_data

  network_interface {
    network_interface_id = aws_network_interface.this[each.key].id
    device_index         = 0
  }

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(var.tags, { Name = each.key, "cellshop:roles" = join(",", var.roles) })

  lifecycle {
    ignore_changes = [ami]
  }
}

resource "aws_volume_attachment" "data" {
  for_each    = local.nodes
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data[each.key].id
  instance_id = aws_instance.this[each.key].id
}
