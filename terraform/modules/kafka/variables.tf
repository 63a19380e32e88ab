variable "engine" {
  description = "\"kraft\": 3 EC2 nodes running Apache Kafka in KRaft mode through ops/cellshop host up; \"msk\": Amazon MSK with 3 brokers (see README: the inventory format has no external Kafka yet)."
  type        = string
  default     = "kraft"
  validation {
    condition     = contains(["kraft", "msk"], var.engine)
    error_message = "engine must be \"kraft\" or \"msk\"."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the KRaft nodes (engine = kraft)."
  type        = string
  default     = "m6i.large"
}

variable "msk_instance_type" {
  description = "Broker instance type (engine = msk)."
  type        = string
  default     = "kafka.m5.large"
  validation {
    condition     = startswith(var.msk_instance_type, "kafka.")
    error_message = "msk_instance_type must be an MSK broker type (kafka.*)."
  }
}

variable "kafka_version" {
  description = "Kafka version of the MSK cluster (engine = msk); the KRaft nodes run the version the repository pins (4.4)."
  type        = string
  default     = "3.9.x"
}

variable "volume_size_gb" {
  description = "Each node's (or broker's) log disk, GB."
  type        = number
  default     = 100
  validation {
    condition     = var.volume_size_gb >= 10
    error_message = "volume_size_gb must be at least 10."
  }
}

variable "data_subnet_ids" {
  description = "The network's three data subnets (MSK brokers live there)."
  type        = list(string)
  validation {
    condition     = length(var.data_subnet_ids) == 3
    error_message = "data_subnet_ids must list three subnets."
  }
}

variable "subnet_ids" {
  description = "The network's three private subnets, in zone order."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must list three subnets, one per zone."
  }
}

variable "subnet_cidrs" {
  description = "The ranges of subnet_ids, in the same order (fixed addresses are cut from them)."
  type        = list(string)
  validation {
    condition     = length(var.subnet_cidrs) == 3 && alltrue([for c in var.subnet_cidrs : can(cidrnetmask(c))])
    error_message = "subnet_cidrs must be three IPv4 CIDRs."
  }
}

variable "security_group_id" {
  description = "The tier's security group (network module's security_group_ids)."
  type        = string
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
