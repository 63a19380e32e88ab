output "hosts" {
  description = "The nodes as inventory hosts: [{name, address, roles}], in node order (a member's position is its id)."
  value       = local.hosts
}

output "addresses" {
  description = "The nodes' fixed private addresses, in node order."
  value       = [for h in local.hosts : h.address]
}

output "instance_ids" {
  description = "EC2 instance ids by host name."
  value       = { for name, i in aws_instance.this : name => i.id }
}
