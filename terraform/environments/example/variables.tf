variable "region" {
  description = "AWS region to deploy in."
  type        = string
  default     = "eu-west-1"
}

variable "availability_zones" {
  description = "Three availability zones of the region."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  validation {
    condition     = length(var.availability_zones) == 3
    error_message = "availability_zones must name three zones."
  }
}

variable "name" {
  description = "The platform's name (inventory name, resource prefix)."
  type        = string
  default     = "cellshop"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.name))
    error_message = "name must be 1-16 lower-case letters, digits and - (AWS load balancer names are short)."
  }
}

variable "ami_id" {
  description = "AMI for every host: Debian 13 (trixie, amd64: its archive has openjdk-21 and awscli, which the boot script installs)."
  type        = string
  validation {
    condition     = startswith(var.ami_id, "ami-")
    error_message = "ami_id must be an AMI id (ami-...)."
  }
}

variable "key_name" {
  description = "An EC2 key pair for SSH, or null (SSM Session Manager works without one)."
  type        = string
  default     = null
}

variable "repository" {
  description = "Where hosts get cellshop: git URL and the ref every host checks out."
  type        = object({ url = string, ref = string })
}

variable "admin_cidrs" {
  description = "Networks allowed to call the control plane's API."
  type        = list(string)
  default     = []
}

variable "kafka_engine" {
  description = "\"kraft\" (3 EC2 nodes) or \"msk\" (Amazon MSK)."
  type        = string
  default     = "kraft"
  validation {
    condition     = contains(["kraft", "msk"], var.kafka_engine)
    error_message = "kafka_engine must be \"kraft\" or \"msk\"."
  }
}

variable "runtimes_per_cell" {
  description = "cell-runtime processes on each runtime instance (the inventory's runtimesPerCell)."
  type        = number
  default     = 2
  validation {
    condition     = var.runtimes_per_cell >= 1 && var.runtimes_per_cell <= 7
    error_message = "runtimes_per_cell must be 1..7."
  }
}

variable "cells" {
  description = "The cells, by id: one more key is one more cell. Each may override the cell module's sizes."
  type = map(object({
    runtime_instance_type = optional(string, "t3.medium")
    runtime_count         = optional(object({ min = number, desired = number, max = number }), { min = 2, desired = 2, max = 4 })
    db_instance_class     = optional(string, "db.m6g.large")
    db_multi_az           = optional(bool, true)
    redis_node_type       = optional(string, "cache.t4g.small")
    memcached_node_type   = optional(string, "cache.t4g.small")
  }))
  default = {
    "cell-a" = {}
    "cell-b" = {}
  }
  validation {
    condition     = length(var.cells) >= 1 && alltrue([for id in keys(var.cells) : can(regex("^[a-z][a-z0-9-]{0,15}$", id))])
    error_message = "cells must have at least one key; each key is a cell id (1-16 lower-case letters, digits and -)."
  }
}
