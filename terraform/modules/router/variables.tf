variable "vpc_id" {
  description = "The network's VPC."
  type        = string
}

variable "public_subnet_ids" {
  description = "The network's public subnets (the load balancer, one node per zone)."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) == 3
    error_message = "public_subnet_ids must list three subnets."
  }
}

variable "load_balancer_security_group_id" {
  description = "The load balancer's security group (network)."
  type        = string
}

variable "public_port" {
  description = "The port the load balancer listens on (the network module's public_port)."
  type        = number
  default     = 80
  validation {
    condition     = var.public_port >= 1 && var.public_port <= 65535
    error_message = "public_port must be 1..65535."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the routers."
  type        = string
  default     = "c6i.large"
}

variable "router_count" {
  description = "Routers (the auto scaling group's min, desired and max); at least 2, in different zones."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 2, desired = 2, max = 6 }
  validation {
    condition     = var.router_count.min >= 2 && var.router_count.min <= var.router_count.desired && var.router_count.desired <= var.router_count.max
    error_message = "router_count must satisfy 2 <= min <= desired <= max (one router is a single point of failure)."
  }
}

variable "signing_secret_arn" {
  description = "The platform's signing secret (control-plane module): routers sign every request to a cell with it."
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
