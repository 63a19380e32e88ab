output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's address range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets in zone order (the load balancer)."
  value       = [for z in var.availability_zones : aws_subnet.public[z].id]
}

output "private_subnet_ids" {
  description = "Private subnets in zone order (every cellshop host)."
  value       = [for z in var.availability_zones : aws_subnet.private[z].id]
}

output "private_subnet_cidrs" {
  description = "The private subnets' ranges in zone order (fixed addresses of ZooKeeper, Kafka and control-plane hosts are cut from them)."
  value       = [for z in var.availability_zones : aws_subnet.private[z].cidr_block]
}

output "data_subnet_ids" {
  description = "Data subnets in zone order (RDS, ElastiCache, MSK; no route out)."
  value       = [for z in var.availability_zones : aws_subnet.data[z].id]
}

output "security_group_ids" {
  description = "Security group per tier: load_balancer, router, control_plane, cell, zookeeper, kafka."
  value       = local.egress_groups
}
