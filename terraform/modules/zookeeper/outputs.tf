output "hosts" {
  description = "The ensemble as inventory hosts [{name, address, roles = [\"zookeeper\"]}], in myid order."
  value       = module.nodes.hosts
}

output "connect_string" {
  description = "The whole ensemble for a client: address:port,... (port = ports.base + 181)."
  value       = join(",", [for a in module.nodes.addresses : "${a}:${var.platform.ports.base + 181}"])
}

output "instance_ids" {
  description = "EC2 instance ids by host name."
  value       = module.nodes.instance_ids
}
