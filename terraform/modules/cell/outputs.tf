output "cell_id" {
  description = "The cell's id."
  value       = var.cell_id
}

output "role" {
  description = "The cell's inventory role, cell:<id>."
  value       = "cell:${var.cell_id}"
}

output "endpoints" {
  description = "The cell's stores in the forms the control plane takes: {\"<id>.mysql\" = mysql://host:port/cellshop, \"<id>.redis\" = redis://host:port, \"<id>.memcached\" = host:port}."
  value       = local.endpoints
}

output "secrets" {
  description = "The cell's secrets for the control plane: {\"cells/<id>/mysql-password\" = ARN}."
  value       = { (local.secret_path) = aws_secretsmanager_secret.mysql.arn }
}

output "autoscaling_group_name" {
  description = "The runtime instances' auto scaling group."
  value       = aws_autoscaling_group.runtime.name
}

output "data_security_group_id" {
  description = "The security group of the cell's stores."
  value       = aws_security_group.data.id
}
