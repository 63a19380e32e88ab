# A VPC over three zones. Subnets: public (the routers' load balancer and the NAT gateways),
# private (every cellshop host) and data (RDS, ElastiCache, MSK: no route to the internet at all).
# Security groups per tier; a cell's own data group lives in the cell module, which knows the cell.

locals {
  tags = merge(var.tags, { "cellshop:platform" = var.name })
  # /20 blocks of a /16 (or smaller blocks of a smaller range): 0-2 public, 3-5 private, 6-8 data.
  newbits = 24 - tonumber(split("/", var.cidr_block)[1]) > 4 ? 4 : 24 - tonumber(split("/", var.cidr_block)[1])
  zones   = { for i, z in var.availability_zones : z => i }
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, local.newbits, each.value)
  tags              = merge(local.tags, { Name = "${var.name}-public-${each.key}", "cellshop:tier" = "public" })
}

resource "aws_subnet" "private" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, local.newbits, 3 + each.value)
  tags              = merge(local.tags, { Name = "${var.name}-private-${each.key}", "cellshop:tier" = "private" })
}

resource "aws_subnet" "data" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, local.newbits, 6 + each.value)
  tags              = merge(local.tags, { Name = "${var.name}-data-${each.key}", "cellshop:tier" = "data" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
  tags = merge(local.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  count  = var.nat_gateways
  domain = "vpc"
  tags   = merge(local.tags, { Name = "${var.name}-nat-${count.index}" })
}

resource "aws_nat_gateway" "this" {
  count         = var.nat_gateways
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[var.availability_zones[count.index]].id
  tags          = merge(local.tags, { Name = "${var.name}-nat-${count.index}" })
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route_table" "private" {
  for_each = local.zones
  vpc_id   = aws_vpc.this.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[each.value % var.nat_gateways].id
  }
  tags = merge(local.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# No route out: the data tier answers its clients inside the VPC and nothing else.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id
  tags   = merge(local.tags, { Name = "${var.name}-data" })
}

resource "aws_route_table_association" "data" {
  for_each       = aws_subnet.data
  subnet_id      = each.value.id
  route_table_id = aws_route_table.data.id
}

# --- security groups, one per tier ---------------------------------------------------------

resource "aws_security_group" "load_balancer" {
  name        = "${var.name}-load-balancer"
  description = "cellshop routers' network load balancer: public traffic in, to the routers only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "load-balancer" })
}

resource "aws_security_group" "router" {
  name        = "${var.name}-router"
  description = "cellshop routers: traffic from the load balancer only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "router" })
}

resource "aws_security_group" "control_plane" {
  name        = "${var.name}-control-plane"
  description = "cellshop control planes: the API from each other and the admin networks"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "control-plane" })
}

# Every cell's runtime hosts carry this group (the tier) and their cell's own (its identity, for its data stores).
resource "aws_security_group" "cell" {
  name        = "${var.name}-cell"
  description = "cellshop cell runtimes: requests from routers and the control plane only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "cell" })
}

resource "aws_security_group" "zookeeper" {
  name        = "${var.name}-zookeeper"
  description = "cellshop ZooKeeper ensemble: clients from the platform's hosts, quorum traffic between members"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "zookeeper" })
}

resource "aws_security_group" "kafka" {
  name        = "${var.name}-kafka"
  description = "cellshop Kafka: producers and consumers of the platform, controller and replication between nodes"
  vpc_id      = aws_vpc.this.id
  tags        = merge(local.tags, { "cellshop:tier" = "kafka" })
}

locals {
  zookeeper_port = var.ports.base + 181
  kafka_port     = var.ports.base + 92
  # A runtime listens on its cell's block: base+300+10*i+3.. (settings.sh); the whole block is opened.
  runtime_ports = { from = var.ports.base + 300, to = var.ports.base + 399 }

  egress_groups = {
    load_balancer = aws_security_group.load_balancer.id
    router        = aws_security_group.router.id
    control_plane = aws_security_group.control_plane.id
    cell          = aws_security_group.cell.id
    zookeeper     = aws_security_group.zookeeper.id
    kafka         = aws_security_group.kafka.id
  }

  ingress = concat(
    [for c in var.public_ingress_cidrs : { group = "load_balancer", from = var.public_port, to = var.public_port, cidr = c, source = null, what = "shoppers and merchants" }],
    [
      { group = "router", from = var.ports.router, to = var.ports.router, cidr = null, source = aws_security_group.load_balancer.id, what = "the load balancer (traffic and /ready health checks)" },
      { group = "cell", from = local.runtime_ports.from, to = local.runtime_ports.to, cidr = null, source = aws_security_group.router.id, what = "routers" },
      { group = "cell", from = local.runtime_ports.from, to = local.runtime_ports.to, cidr = null, source = aws_security_group.control_plane.id, what = "the control plane (certification, move quiescence)" },
      { group = "control_plane", from = var.ports.control, to = var.ports.control, cidr = null, source = aws_security_group.control_plane.id, what = "the other control plane (forwarding to the leader)" },
      { group = "control_plane", from = var.ports.control, to = var.ports.control, cidr = var.cidr_block, source = null, what = "operators' tools inside the VPC" },
      { group = "zookeeper", from = local.zookeeper_port, to = local.zookeeper_port, cidr = null, source = aws_security_group.router.id, what = "routers" },
      { group = "zookeeper", from = local.zookeeper_port, to = local.zookeeper_port, cidr = null, source = aws_security_group.cell.id, what = "cell runtimes" },
      { group = "zookeeper", from = local.zookeeper_port, to = local.zookeeper_port, cidr = null, source = aws_security_group.control_plane.id, what = "control planes" },
      { group = "zookeeper", from = 0, to = 65535, cidr = null, source = aws_security_group.zookeeper.id, what = "the other members (quorum and election ports)" },
      { group = "kafka", from = local.kafka_port, to = local.kafka_port, cidr = null, source = aws_security_group.cell.id, what = "cell runtimes (order events)" },
      { group = "kafka", from = local.kafka_port, to = local.kafka_port, cidr = null, source = aws_security_group.control_plane.id, what = "control planes" },
      # 9092: Amazon MSK's plaintext listener, when the kafka module runs engine = "msk".
      { group = "kafka", from = 9092, to = 9092, cidr = null, source = aws_security_group.cell.id, what = "cell runtimes (MSK)" },
      { group = "kafka", from = 9092, to = 9092, cidr = null, source = aws_security_group.control_plane.id, what = "control planes (MSK)" },
      { group = "kafka", from = 0, to = 65535, cidr = null, source = aws_security_group.kafka.id, what = "the other nodes (controller quorum, replication)" },
    ],
    [for c in var.admin_cidrs : { group = "control_plane", from = var.ports.control, to = var.ports.control, cidr = c, source = null, what = "the platform team" }],
  )
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each                     = { for i, r in local.ingress : "${r.group}-${i}" => r }
  security_group_id            = local.egress_groups[each.value.group]
  ip_protocol                  = "tcp"
  from_port                    = each.value.from
  to_port                      = each.value.to
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.source
  description                  = each.value.what
}

# Egress is open: hosts fetch packages and the repository through the NAT, and call AWS APIs.
resource "aws_vpc_security_group_egress_rule" "this" {
  for_each          = local.egress_groups
  security_group_id = each.value
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "all egress"
}
