variable "name" {
  description = "Platform name: prefixes every resource and tags it (lower-case letters, digits and -)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be 1-32 lower-case letters, digits and -, starting with a letter and not ending with -."
  }
}

variable "cidr_block" {
  description = "The VPC's address range; split into 3 public, 3 private (hosts) and 3 data subnets, one of each per zone."
  type        = string
  default     = "10.40.0.0/16"
  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be an IPv4 CIDR of /20 or larger (nine /24-or-larger subnets are cut from it)."
  }
}

variable "availability_zones" {
  description = "Exactly three availability zones of the region, e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]."
  type        = list(string)
  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must name three distinct zones (a ZooKeeper or Kafka quorum survives the loss of one)."
  }
}

variable "nat_gateways" {
  description = "NAT gateways for the private subnets' egress (packages, the repository, AWS APIs): 1 (cheaper, one zone's egress) or 3 (one per zone)."
  type        = number
  default     = 1
  validation {
    condition     = contains([1, 3], var.nat_gateways)
    error_message = "nat_gateways must be 1 or 3."
  }
}

variable "public_ingress_cidrs" {
  description = "Addresses allowed to reach the routers' load balancer (shoppers and merchants)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
  validation {
    condition     = alltrue([for c in var.public_ingress_cidrs : can(cidrnetmask(c))])
    error_message = "public_ingress_cidrs must be IPv4 CIDRs."
  }
}

variable "public_port" {
  description = "The port the routers' load balancer listens on."
  type        = number
  default     = 80
  validation {
    condition     = var.public_port >= 1 && var.public_port <= 65535
    error_message = "public_port must be 1..65535."
  }
}

variable "admin_cidrs" {
  description = "Addresses allowed to call the control plane's API (the platform team's network, a VPN). Empty: only from inside the VPC."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrnetmask(c))])
    error_message = "admin_cidrs must be IPv4 CIDRs."
  }
}

variable "ports" {
  description = "The ports every host uses, as in the inventory: base (ZooKeeper base+181, Kafka base+92/93, cell stores and runtimes base+300..), router, control."
  type = object({
    base    = number
    router  = number
    control = number
  })
  default = { base = 13000, router = 8080, control = 8090 }
  validation {
    condition     = alltrue([for p in values(var.ports) : p >= 1024 && p <= 65000 && floor(p) == p])
    error_message = "every port must be a whole number in 1024..65000 (the inventory's rule)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
