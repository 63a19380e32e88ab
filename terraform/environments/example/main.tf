# An example platform: a VPC over three zones, a 3-node ZooKeeper ensemble, 3 Kafka nodes, two
# control planes, routers behind a load balancer and the cells of var.cells (two by default).
# Every machine boots with the inventory of ops/cluster's format built from these modules'
# outputs and runs `ops/cellshop host up` for itself.

locals {
  ports = { base = 13000, router = 8080, control = 8090 }
  platform = {
    name              = var.name
    secrets_dir       = "/etc/cellshop/secrets"
    ports             = local.ports
    runtimes_per_cell = var.runtimes_per_cell
  }
  # Every fixed-address host, in the same order on every machine (positions are myid / node.id).
  platform_hosts = concat(module.zookeeper.hosts, module.kafka.hosts, module.control_plane.hosts)
  cell_endpoints = merge([for id in keys(var.cells) : module.cell[id].endpoints]...)
  cell_secrets   = merge([for id in keys(var.cells) : module.cell[id].secrets]...)
}

module "network" {
  source = "../../modules/network"

  name               = var.name
  availability_zones = var.availability_zones
  ports              = local.ports
  admin_cidrs        = var.admin_cidrs
}

module "zookeeper" {
  source = "../../modules/zookeeper"

  subnet_ids        = module.network.private_subnet_ids
  subnet_cidrs      = module.network.private_subnet_cidrs
  security_group_id = module.network.security_group_ids["zookeeper"]
  ami_id            = var.ami_id
  key_name          = var.key_name
  platform          = local.platform
  platform_hosts    = local.platform_hosts
  repository        = var.repository
  region            = var.region
}

module "kafka" {
  source = "../../modules/kafka"

  engine            = var.kafka_engine
  subnet_ids        = module.network.private_subnet_ids
  subnet_cidrs      = module.network.private_subnet_cidrs
  data_subnet_ids   = module.network.data_subnet_ids
  security_group_id = module.network.security_group_ids["kafka"]
  ami_id            = var.ami_id
  key_name          = var.key_name
  platform          = local.platform
  platform_hosts    = local.platform_hosts
  repository        = var.repository
  region            = var.region
}

module "control_plane" {
  source = "../../modules/control-plane"

  subnet_ids        = module.network.private_subnet_ids
  subnet_cidrs      = module.network.private_subnet_cidrs
  security_group_id = module.network.security_group_ids["control_plane"]
  ami_id            = var.ami_id
  key_name          = var.key_name
  platform          = local.platform
  platform_hosts    = local.platform_hosts
  cell_secrets      = local.cell_secrets
  managed_endpoints = merge(local.cell_endpoints, { "kafka.bootstrap" = module.kafka.bootstrap_servers, "router.public" = module.router.url })
  repository        = var.repository
  region            = var.region
}

module "router" {
  source = "../../modules/router"

  vpc_id                          = module.network.vpc_id
  public_subnet_ids               = module.network.public_subnet_ids
  subnet_ids                      = module.network.private_subnet_ids
  load_balancer_security_group_id = module.network.security_group_ids["load_balancer"]
  security_group_id               = module.network.security_group_ids["router"]
  signing_secret_arn              = module.control_plane.signing_secret_arn
  ami_id                          = var.ami_id
  key_name                        = var.key_name
  platform                        = local.platform
  platform_hosts                  = local.platform_hosts
  repository                      = var.repository
  region                          = var.region
}

# One cell per key of var.cells: adding a cell is adding a key.
module "cell" {
  source   = "../../modules/cell"
  for_each = var.cells

  cell_id                         = each.key
  vpc_id                          = module.network.vpc_id
  subnet_ids                      = module.network.private_subnet_ids
  data_subnet_ids                 = module.network.data_subnet_ids
  cell_security_group_id          = module.network.security_group_ids["cell"]
  control_plane_security_group_id = module.network.security_group_ids["control_plane"]
  signing_secret_arn              = module.control_plane.signing_secret_arn
  runtime_instance_type           = each.value.runtime_instance_type
  runtime_count                   = each.value.runtime_count
  db_instance_class               = each.value.db_instance_class
  db_multi_az                     = each.value.db_multi_az
  redis_node_type                 = each.value.redis_node_type
  memcached_node_type             = each.value.memcached_node_type
  ami_id                          = var.ami_id
  key_name                        = var.key_name
  platform                        = local.platform
  platform_hosts                  = local.platform_hosts
  repository                      = var.repository
  region                          = var.region
}
