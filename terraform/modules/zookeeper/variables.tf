variable "node_count" {
  description = "Ensemble size: 3 (survives one node) or 5 (survives two); nodes spread over the three zones."
  type        = number
  default     = 3
  validation {
    condition     = contains([3, 5], var.node_count)
    error_message = "node_count must be 3 or 5 (an ensemble needs a majority)."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the ZooKeeper nodes."
  type        = string
  default     = "t3.small"
}

variable "volume_size_gb" {
  description = "Each node's own data disk (transaction log and snapshots), GB."
  type        = number
  default     = 20
  validation {
    condition     = var.volume_size_gb >= 8
    error_message = "volume_size_gb must be at least 8."
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
