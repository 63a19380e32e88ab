output "url" {
  description = "The platform's public address: http://<load balancer>:<public_port>."
  value       = "http://${aws_lb.this.dns_name}:${var.public_port}"
}

output "load_balancer_dns_name" {
  description = "The network load balancer's DNS name (point the shops' domains at it with a CNAME or alias)."
  value       = aws_lb.this.dns_name
}

output "autoscaling_group_name" {
  description = "The routers' auto scaling group."
  value       = aws_autoscaling_group.this.name
}
