output "url" {
  description = "The storefront and shop admin address (the routers' load balancer)."
  value       = module.router.url
}

output "control_plane_urls" {
  description = "The control planes' API (inside the VPC or from admin_cidrs)."
  value       = module.control_plane.api_urls
}

output "platform_token_arn" {
  description = "Secrets Manager ARN of the control plane's API token: CELLSHOP_PLATFORM_TOKEN for the CLI."
  value       = module.control_plane.platform_token_arn
}

output "zookeeper_connect_string" {
  description = "The ZooKeeper ensemble."
  value       = module.zookeeper.connect_string
}

output "kafka_bootstrap_servers" {
  description = "The Kafka bootstrap list."
  value       = module.kafka.bootstrap_servers
}

output "cells" {
  description = "Each cell's store endpoints."
  value       = { for id in keys(var.cells) : id => module.cell[id].endpoints }
}

output "inventory_hosts" {
  description = "The fixed-address hosts every machine's inventory lists."
  value       = local.platform_hosts
}
