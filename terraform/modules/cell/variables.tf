variable "cell_id" {
  description = "The cell's id (its inventory role is cell:<id>; its name in ZooKeeper and in the control plane)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.cell_id)) && !endswith(var.cell_id, "-")
    error_message = "cell_id must be 1-16 lower-case letters, digits and -, starting with a letter and not ending with - (with the platform's name it makes ElastiCache ids, at most 40 characters)."
  }
}

variable "vpc_id" {
  description = "The network's VPC."
  type        = string
}

variable "data_subnet_ids" {
  description = "The network's three data subnets (the cell's database and caches)."
  type        = list(string)
  validation {
    condition     = length(var.data_subnet_ids) == 3
    error_message = "data_subnet_ids must list three subnets."
  }
}

variable "cell_security_group_id" {
  description = "The cell tier's security group (network): requests from routers and control planes only."
  type        = string
}

variable "control_plane_security_group_id" {
  description = "The control planes' security group: the mover and certification reach the cell's stores from there."
  type        = string
}

variable "runtime_instance_type" {
  description = "EC2 instance type of the cell's runtime instances."
  type        = string
  default     = "t3.medium"
}

variable "runtime_count" {
  description = "Runtime instances of the cell (the auto scaling group's min, desired and max)."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 2, desired = 2, max = 4 }
  validation {
    condition     = var.runtime_count.min >= 1 && var.runtime_count.min <= var.runtime_count.desired && var.runtime_count.desired <= var.runtime_count.max
    error_message = "runtime_count must satisfy 1 <= min <= desired <= max."
  }
}

variable "db_instance_class" {
  description = "RDS instance class of the cell's MariaDB."
  type        = string
  default     = "db.m6g.large"
  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS class (db.*)."
  }
}

variable "db_allocated_storage_gb" {
  description = "The database's storage, GB (gp3; grows up to 4x by itself)."
  type        = number
  default     = 100
  validation {
    condition     = var.db_allocated_storage_gb >= 20
    error_message = "db_allocated_storage_gb must be at least 20."
  }
}

variable "db_multi_az" {
  description = "A synchronous standby in another zone (failover in 1-2 minutes; doubles the database's cost)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery); also what keeps the binlog on, which shop moves tail."
  type        = number
  default     = 7
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1..35: 0 would turn the binlog off, and shop moves need it."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type of the cell's Redis (carts, rate limits)."
  type        = string
  default     = "cache.t4g.small"
  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type (cache.*)."
  }
}

variable "redis_replicas" {
  description = "Redis replicas beside the primary (1: automatic failover to another zone)."
  type        = number
  default     = 1
  validation {
    condition     = var.redis_replicas >= 0 && var.redis_replicas <= 5
    error_message = "redis_replicas must be 0..5."
  }
}

variable "memcached_node_type" {
  description = "ElastiCache node type of the cell's Memcached (catalog cache)."
  type        = string
  default     = "cache.t4g.small"
  validation {
    condition     = startswith(var.memcached_node_type, "cache.")
    error_message = "memcached_node_type must be an ElastiCache node type (cache.*)."
  }
}

variable "signing_secret_arn" {
  description = "The platform's signing secret (control-plane module): cells check the routers' signatures with it."
  type        = string
}

variable "subnet_ids" {
  description = "The network's three private subnets, in zone order."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must list three subnets, one per zone."
  }
}

variable "ami_id" {
  description = "AMI of the hosts (Debian 13)."
  type        = string
  validation {
    condition     = startswith(var.ami_id, "ami-")
    error_message = "ami_id must be an AMI id (ami-...)."
  }
}

variable "key_name" {
  description = "An EC2 key pair for SSH, or null."
  type        = string
  default     = null
}

variable "platform" {
  description = "The inventory's platform-wide part: name, secrets_dir, ports, runtimes_per_cell."
  type = object({
    name              = string
    secrets_dir       = string
    ports             = object({ base = number, router = number, control = number })
    runtimes_per_cell = number
  })
}

variable "platform_hosts" {
  description = "Every fixed-address host of the platform (ZooKeeper, Kafka, control planes), in the same order on every machine."
  type = list(object({
    name    = string
    address = string
    roles   = list(string)
  }))
}

variable "repository" {
  description = "cellshop's git URL and ref, the same on every machine."
  type        = object({ url = string, ref = string })
}

variable "region" {
  description = "The AWS region."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
