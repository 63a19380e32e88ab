# A ZooKeeper ensemble, one node per zone (the 4th and 5th of a 5-node ensemble in zones a and b):
# fixed addresses (network interfaces) and own disks, so a replaced node rejoins as the same myid.

module "nodes" {
  source = "../fixed-nodes"

  name_prefix        = "zk"
  node_count         = var.node_count
  roles              = ["zookeeper"]
  subnet_ids         = var.subnet_ids
  subnet_cidrs       = var.subnet_cidrs
  host_number        = 10
  security_group_ids = [var.security_group_id]
  instance_type      = var.instance_type
  ami_id             = var.ami_id
  volume_size_gb     = var.volume_size_gb
  key_name           = var.key_name
  platform           = var.platform
  platform_hosts     = var.platform_hosts
  repository         = var.repository
  region             = var.region
  tags               = merge(var.tags, { "cellshop:tier" = "zookeeper" })
}
