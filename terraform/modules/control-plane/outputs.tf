output "hosts" {
  description = "The control planes as inventory hosts [{name, address, roles = [\"control-plane\"]}]."
  value       = module.nodes.hosts
}

output "api_urls" {
  description = "The control planes' API, http://address:ports.control each."
  value       = [for a in module.nodes.addresses : "http://${a}:${var.platform.ports.control}"]
}

output "signing_secret_arn" {
  description = "Secrets Manager ARN of the signing secret (routers, cells)."
  value       = aws_secretsmanager_secret.platform["signing-secret"].arn
}

output "platform_token_arn" {
  description = "Secrets Manager ARN of the control plane's API token (operators' CLI)."
  value       = aws_secretsmanager_secret.platform["platform-token"].arn
}

output "instance_ids" {
  description = "EC2 instance ids by host name."
  value       = module.nodes.instance_ids
}
