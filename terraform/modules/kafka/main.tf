# Kafka for the order events: three KRaft nodes (broker + controller each, replication factor 3,
# min.insync.replicas 2, as the launcher configures them) or Amazon MSK. Either way an existing
# engine run as it is meant to run, never a copy of one.

module "nodes" {
  source = "../fixed-nodes"
  count  = var.engine == "kraft" ? 1 : 0

  name_prefix        = "kafka"
  node_count         = 3
  roles              = ["kafka"]
  subnet_ids         = var.subnet_ids
  subnet_cidrs       = var.subnet_cidrs
  host_number        = 20
  security_group_ids = [var.security_group_id]
  instance_type      = var.instance_type
  ami_id             = var.ami_id
  volume_size_gb     = var.volume_size_gb
  key_name           = var.key_name
  platform           = var.platform
  platform_hosts     = var.platform_hosts
  repository         = var.repository
  region             = var.region
  tags               = merge(var.tags, { "cellshop:tier" = "kafka" })
}

resource "aws_msk_configuration" "this" {
  count          = var.engine == "msk" ? 1 : 0
  name           = "${var.platform.name}-kafka"
  kafka_versions = [var.kafka_version]
  server_properties = join("\n", [
    "default.replication.factor=3",
    "min.insync.replicas=2",
    "auto.create.topics.enable=false",
  ])
}

resource "aws_msk_cluster" "this" {
  count                  = var.engine == "msk" ? 1 : 0
  cluster_name           = "${var.platform.name}-kafka"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = var.data_subnet_ids
    security_groups = [var.security_group_id]
    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size_gb
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this[0].arn
    revision = aws_msk_configuration.this[0].latest_revision
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
      in_cluster    = true
    }
  }

  tags = merge(var.tags, { "cellshop:tier" = "kafka" })
}
