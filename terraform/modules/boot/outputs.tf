output "user_data" {
  description = "The cloud-init document (plain text; give it to user_data, or base64encode it for a launch template)."
  value       = local.user_data
}

output "inventory" {
  description = "The inventory this machine writes to /etc/cellshop/inventory.json (its own address still the placeholder when it boots in an auto scaling group)."
  value       = local.inventory
}

output "instance_profile_name" {
  description = "The instance profile that lets the machine read its secrets (and be reached by SSM Session Manager)."
  value       = aws_iam_instance_profile.this.name
}
