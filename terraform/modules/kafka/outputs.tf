output "hosts" {
  description = "The KRaft nodes as inventory hosts [{name, address, roles = [\"kafka\"]}] in node.id order; empty with MSK."
  value       = var.engine == "kraft" ? module.nodes[0].hosts : []
}

output "bootstrap_servers" {
  description = "The Kafka bootstrap list for clients (address:port,...)."
  value = (var.engine == "kraft"
    ? join(",", [for a in module.nodes[0].addresses : "${a}:${var.platform.ports.base + 92}"])
  : aws_msk_cluster.this[0].bootstrap_brokers)
}
