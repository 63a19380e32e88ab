variable "platform" {
  description = "The inventory's platform-wide part: name, the secrets directory on every host, the ports and the runtimes per cell (the format of ops/lib/inventory.sh)."
  type = object({
    name              = string
    secrets_dir       = string
    ports             = object({ base = number, router = number, control = number })
    runtimes_per_cell = number
  })
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.platform.name)) && startswith(var.platform.secrets_dir, "/")
    error_message = "platform.name must be lower-case letters, digits and - (1-32); platform.secrets_dir an absolute path."
  }
  validation {
    condition     = var.platform.runtimes_per_cell >= 0 && var.platform.runtimes_per_cell <= 7
    error_message = "platform.runtimes_per_cell must be 0..7 (the inventory's rule)."
  }
}

variable "hosts" {
  description = "The platform's hosts with fixed addresses (ZooKeeper, Kafka, control planes), in the same order on every machine: a member's position is its ZooKeeper myid / Kafka node.id."
  type = list(object({
    name    = string
    address = string
    roles   = list(string)
  }))
  validation {
    condition = alltrue(flatten([for h in var.hosts : [for r in h.roles :
    contains(["zookeeper", "kafka", "router", "control-plane"], r) || can(regex("^cell:[a-z][a-z0-9-]{0,31}$", r))]]))
    error_message = "every role must be zookeeper, kafka, router, control-plane or cell:<id>."
  }
}

variable "self" {
  description = "This machine: its host name in the inventory, its address (null for a machine of an auto scaling group: read from the instance metadata at boot) and its roles."
  type = object({
    name    = string
    address = optional(string)
    roles   = list(string)
  })
  validation {
    condition = length(var.self.roles) > 0 && alltrue([for r in var.self.roles :
    contains(["zookeeper", "kafka", "router", "control-plane"], r) || can(regex("^cell:[a-z][a-z0-9-]{0,31}$", r))])
    error_message = "self.roles must be a non-empty list of zookeeper, kafka, router, control-plane or cell:<id>."
  }
}

variable "secrets" {
  description = "Secrets Manager secrets this machine needs, by path under platform.secrets_dir (e.g. \"signing-secret\", \"cells/cell-a/mysql-password\") => secret ARN. Its instance role may read exactly these."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for p in keys(var.secrets) : can(regex("^[a-z0-9][a-z0-9/-]*$", p)) && !strcontains(p, "..")])
    error_message = "secret paths must be relative paths of lower-case letters, digits, - and /."
  }
}

variable "managed_endpoints" {
  description = "Endpoints of managed services this machine's roles use (RDS, ElastiCache, MSK, the load balancer), written beside the inventory in managed-endpoints.json."
  type        = map(string)
  default     = {}
}

variable "repository" {
  description = "Where the machine gets cellshop: git URL and ref (a tag or commit; every machine of the platform runs the same one)."
  type = object({
    url = string
    ref = string
  })
  validation {
    condition     = length(var.repository.url) > 0 && length(var.repository.ref) > 0
    error_message = "repository.url and repository.ref must not be empty."
  }
}

variable "data_volume_id" {
  description = "An EBS volume (attached to this machine by its module) to format on first use and mount as the state directory /var/lib/cellshop; null: the root disk."
  type        = string
  default     = null
}

variable "region" {
  description = "The AWS region (for the Secrets Manager calls at boot)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the instance role's name (unique per machine group)."
  type        = string
  validation {
    condition     = length(var.name_prefix) >= 1 && length(var.name_prefix) <= 37
    error_message = "name_prefix must be 1-37 characters (IAM name prefixes are at most 38, with the - added)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
