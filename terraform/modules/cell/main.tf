# One cell: everything it owns and nothing it shares. Its MariaDB (RDS) with the binlog the shop
# mover tails, its Redis and its Memcached (ElastiCache), its runtime instances (an auto scaling
# group) and its own MySQL password in Secrets Manager. Its stores accept only its own runtimes
# and the control planes (the mover, certification): another cell's hosts cannot even connect.

locals {
  name = "${var.platform.name}-${var.cell_id}"
  tags = merge(var.tags, { "cellshop:tier" = "cell", "cellshop:cell" = var.cell_id })
  # The MySQL user the control plane uses for every cell (cell.mysql-user) and the runtimes for theirs.
  mysql_user     = "cellshop"
  mysql_database = "cellshop"
  secret_path    = "cells/${var.cell_id}/mysql-password"
}

# --- the cell's own security groups ----------------------------------------------------------

# Carried by this cell's runtimes only: its stores let in this group, not the cell tier's.
resource "aws_security_group" "member" {
  name        = "${local.name}-member"
  description = "cellshop cell ${var.cell_id}: its runtime instances"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

resource "aws_security_group" "data" {
  name        = "${local.name}-data"
  description = "cellshop cell ${var.cell_id}: its MariaDB, Redis and Memcached; its runtimes and the control planes only"
  vpc_id      = var.vpc_id
  tags        = local.tags
}

locals {
  store_ports = { mysql = 3306, redis = 6379, memcached = 11211 }
  data_ingress = merge(
    { for s, p in local.store_ports : "${s}-runtimes" => { port = p, source = aws_security_group.member.id } },
    { for s, p in local.store_ports : "${s}-control-plane" => { port = p, source = var.control_plane_security_group_id } },
  )
}

resource "aws_vpc_security_group_ingress_rule" "data" {
  for_each                     = local.data_ingress
  security_group_id            = aws_security_group.data.id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.source
  description                  = each.key
}

# --- credentials -------------------------------------------------------------------------------

resource "random_password" "mysql" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "mysql" {
  name                    = "${var.platform.name}/${local.secret_path}"
  description             = "MySQL password of cellshop cell ${var.cell_id}: opens this cell's MariaDB and no other"
  recovery_window_in_days = 7
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "mysql" {
  secret_id     = aws_secretsmanager_secret.mysql.id
  secret_string = random_password.mysql.result
}

# --- MariaDB -------------------------------------------------------------------------------------

# What the mover needs (ops/lib/components/mysql.sh starts the local cells the same way): row
# events with every column (ROW, FULL), GTIDs in strict mode so positions only grow per domain
# (GtidPosition), and durable commits so the binlog never misses an acknowledged order.
# RDS turns the binlog on with backups and gives each instance its own server_id.
resource "aws_db_parameter_group" "this" {
  name        = "${local.name}-mariadb"
  family      = "mariadb10.11"
  description = "cellshop cell ${var.cell_id}: binlog for shop moves"
  tags        = local.tags

  dynamic "parameter" {
    for_each = {
      binlog_format                  = "ROW"
      binlog_row_image               = "FULL"
      gtid_strict_mode               = "1"
      sync_binlog                    = "1"
      innodb_flush_log_at_trx_commit = "1"
      character_set_server           = "utf8mb4"
      collation_server               = "utf8mb4_unicode_ci"
      time_zone                      = "UTC"
      max_connections                = "400"
    }
    content {
      name         = parameter.key
      value        = parameter.value
      apply_method = "pending-reboot"
    }
  }
}

resource "aws_db_subnet_group" "this" {
  name       = "${local.name}-mariadb"
  subnet_ids = var.data_subnet_ids
  tags       = local.tags
}

resource "aws_db_instance" "this" {
  identifier                 = "${local.name}-mariadb"
  engine                     = "mariadb"
  engine_version             = "10.11"
  instance_class             = var.db_instance_class
  allocated_storage          = var.db_allocated_storage_gb
  max_allocated_storage      = var.db_allocated_storage_gb * 4
  storage_type               = "gp3"
  storage_encrypted          = true
  db_name                    = local.mysql_database
  username                   = local.mysql_user
  password                   = random_password.mysql.result
  parameter_group_name       = aws_db_parameter_group.this.name
  db_subnet_group_name       = aws_db_subnet_group.this.name
  vpc_security_group_ids     = [aws_security_group.data.id]
  multi_az                   = var.db_multi_az
  backup_retention_period    = var.backup_retention_days
  copy_tags_to_snapshot      = true
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${local.name}-mariadb-final"
  auto_minor_version_upgrade = true
  apply_immediately          = false
  tags                       = local.tags
}

# --- Redis and Memcached -------------------------------------------------------------------------

resource "aws_elasticache_subnet_group" "this" {
  name       = "${local.name}-cache"
  subnet_ids = var.data_subnet_ids
  tags       = local.tags
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "${local.name}-redis"
  description                = "cellshop cell ${var.cell_id}: carts and rate limits"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.redis_node_type
  num_cache_clusters         = 1 + var.redis_replicas
  automatic_failover_enabled = var.redis_replicas > 0
  multi_az_enabled           = var.redis_replicas > 0
  port                       = local.store_ports.redis
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.data.id]
  at_rest_encryption_enabled = true
  snapshot_retention_limit   = 1
  tags                       = local.tags
}

resource "aws_elasticache_cluster" "memcached" {
  cluster_id         = "${local.name}-mc"
  engine             = "memcached"
  node_type          = var.memcached_node_type
  num_cache_nodes    = 1
  port               = local.store_ports.memcached
  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.data.id]
  tags               = local.tags
}

# --- runtime instances ---------------------------------------------------------------------------

module "boot" {
  source = "../boot"

  platform = var.platform
  hosts    = var.platform_hosts
  # Each runtime machine names itself after its cell: its inventory lists it alone among the
  # cell's machines (they find each other and are found through ZooKeeper, not the inventory).
  self = { name = var.cell_id, address = null, roles = ["cell:${var.cell_id}"] }
  secrets = {
    (local.secret_path) = aws_secretsmanager_secret.mysql.arn
    "signing-secret"    = var.signing_secret_arn
  }
  managed_endpoints = local.endpoints
  repository        = var.repository
  region            = var.region
  name_prefix       = "${local.name}-rt" # IAM name prefixes are at most 38 characters
  tags              = local.tags
}

resource "aws_launch_template" "runtime" {
  name_prefix            = "${local.name}-runtime-"
  image_id               = var.ami_id
  instance_type          = var.runtime_instance_type
  key_name               = var.key_name
  user_data              = base64encode(module.boot.user_data)
  vpc_security_group_ids = [var.cell_security_group_id, aws_security_group.member.id]

  iam_instance_profile {
    name = module.boot.instance_profile_name
  }

  metadata_options {
    http_tokens = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${local.name}-runtime" })
  }
}

resource "aws_autoscaling_group" "runtime" {
  name_prefix         = "${local.name}-runtime-"
  min_size            = var.runtime_count.min
  desired_capacity    = var.runtime_count.desired
  max_size            = var.runtime_count.max
  vpc_zone_identifier = var.subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.runtime.id
    version = aws_launch_template.runtime.latest_version
  }

  # A new launch template (a new cellshop ref) replaces the instances a few at a time; a SIGTERM
  # drains each (its registration leaves ZooKeeper first, so routers stop sending to it).
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "cellshop:cell"
    value               = var.cell_id
    propagate_at_launch = true
  }

  # The stores first: a runtime migrates the schema at its start.
  depends_on = [aws_db_instance.this, aws_elasticache_replication_group.redis, aws_elasticache_cluster.memcached]
}

locals {
  # The forms POST /v1/cells and `cell create` take (mysql://host:port/db, redis://host:port, host:port).
  endpoints = {
    "${var.cell_id}.mysql"     = "mysql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${local.mysql_database}"
    "${var.cell_id}.redis"     = "redis://${aws_elasticache_replication_group.redis.primary_endpoint_address}:${local.store_ports.redis}"
    "${var.cell_id}.memcached" = "${aws_elasticache_cluster.memcached.cluster_address}:${local.store_ports.memcached}"
  }
}
