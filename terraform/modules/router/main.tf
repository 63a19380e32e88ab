# Routers: stateless, so an auto scaling group behind a network load balancer. The balancer
# health-checks /ready, which answers 200 once the router's topology view is loaded (and stays
# 200 while ZooKeeper is away: static stability), so a starting router gets traffic only when
# it can route. The NLB keeps client addresses, so the routers' per-client limits see shoppers.

resource "aws_lb" "this" {
  name               = "${var.platform.name}-router"
  load_balancer_type = "network"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [var.load_balancer_security_group_id]
  tags               = merge(var.tags, { "cellshop:tier" = "router" })

  enable_cross_zone_load_balancing = true
}

resource "aws_lb_target_group" "this" {
  name                 = "${var.platform.name}-router"
  port                 = var.platform.ports.router
  protocol             = "TCP"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    protocol            = "HTTP"
    path                = "/ready"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.tags
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.public_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

module "boot" {
  source = "../boot"

  platform          = var.platform
  hosts             = var.platform_hosts
  self              = { name = "router", address = null, roles = ["router"] }
  secrets           = { "signing-secret" = var.signing_secret_arn }
  managed_endpoints = { "router.public" = "http://${aws_lb.this.dns_name}:${var.public_port}" }
  repository        = var.repository
  region            = var.region
  name_prefix       = "${var.platform.name}-router"
  tags              = var.tags
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.platform.name}-router-"
  image_id               = var.ami_id
  instance_type          = var.instance_type
  key_name               = var.key_name
  user_data              = base64encode(module.boot.user_data)
  vpc_security_group_ids = [var.security_group_id]

  iam_instance_profile {
    name = module.boot.instance_profile_name
  }

  metadata_options {
    http_tokens = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.platform.name}-router", "cellshop:tier" = "router" })
  }
}

resource "aws_autoscaling_group" "this" {
  name_prefix               = "${var.platform.name}-router-"
  min_size                  = var.router_count.min
  desired_capacity          = var.router_count.desired
  max_size                  = var.router_count.max
  vpc_zone_identifier       = var.subnet_ids
  target_group_arns         = [aws_lb_target_group.this.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 600

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }
}
