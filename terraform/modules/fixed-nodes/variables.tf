variable "name_prefix" {
  description = "Prefix of the nodes' host names and resources, e.g. \"zk\" gives zk-1, zk-2, zk-3."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,28}$", var.name_prefix)) && !endswith(var.name_prefix, "-")
    error_message = "name_prefix must be 1-29 lower-case letters, digits and - (a host name adds -N)."
  }
}

variable "node_count" {
  description = "How many nodes; node i goes to zone i mod 3."
  type        = number
  validation {
    condition     = var.node_count >= 1 && var.node_count <= 9 && floor(var.node_count) == var.node_count
    error_message = "node_count must be 1..9."
  }
}

variable "roles" {
  description = "The inventory roles every node runs (zookeeper, kafka, control-plane)."
  type        = list(string)
  validation {
    condition     = length(var.roles) > 0 && alltrue([for r in var.roles : contains(["zookeeper", "kafka", "control-plane"], r)])
    error_message = "roles must be some of zookeeper, kafka, control-plane (the tiers with fixed addresses)."
  }
}

variable "subnet_ids" {
  description = "The three private subnets, in zone order."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must list the three zones' private subnets."
  }
}

variable "subnet_cidrs" {
  description = "The ranges of subnet_ids, in the same order: each node's fixed address is cut from its zone's."
  type        = list(string)
  validation {
    condition     = length(var.subnet_cidrs) == 3 && alltrue([for c in var.subnet_cidrs : can(cidrnetmask(c))])
    error_message = "subnet_cidrs must be the three subnets' IPv4 CIDRs."
  }
}

variable "host_number" {
  description = "The first host number of the nodes' addresses in their subnet (node i gets host_number + floor(i/3) in zone i mod 3); distinct per tier so addresses never collide."
  type        = number
  validation {
    condition     = var.host_number >= 4 && var.host_number <= 250
    error_message = "host_number must be 4..250 (AWS keeps the first four addresses of a subnet)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the nodes' network interfaces."
  type        = list(string)
}

variable "instance_type" {
  description = "EC2 instance type of the nodes."
  type        = string
}

variable "ami_id" {
  description = "AMI of the nodes (Debian 13: the boot script installs openjdk-21 and awscli with apt)."
  type        = string
  validation {
    condition     = startswith(var.ami_id, "ami-")
    error_message = "ami_id must be an AMI id (ami-...)."
  }
}

variable "volume_size_gb" {
  description = "Size of each node's own data disk (EBS gp3), mounted as its state directory; it outlives the instance."
  type        = number
  validation {
    condition     = var.volume_size_gb >= 8 && var.volume_size_gb <= 16384
    error_message = "volume_size_gb must be 8..16384."
  }
}

variable "key_name" {
  description = "An EC2 key pair for SSH, or null (SSM Session Manager reaches the nodes anyway)."
  type        = string
  default     = null
}

variable "platform" {
  description = "The inventory's platform-wide part (see the boot module)."
  type = object({
    name              = string
    secrets_dir       = string
    ports             = object({ base = number, router = number, control = number })
    runtimes_per_cell = number
  })
}

variable "platform_hosts" {
  description = "Every fixed-address host of the platform, in the same order everywhere (this module's hosts output among them)."
  type = list(object({
    name    = string
    address = string
    roles   = list(string)
  }))
}

variable "secrets" {
  description = "Secrets the nodes fetch at boot: path under the secrets directory => Secrets Manager ARN."
  type        = map(string)
  default     = {}
}

variable "managed_endpoints" {
  description = "Endpoints of managed services the nodes' roles use."
  type        = map(string)
  default     = {}
}

variable "repository" {
  description = "cellshop's git URL and ref."
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
