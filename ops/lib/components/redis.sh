# shellcheck shell=bash
# A cell's Redis (carts, rate limits): append-only file on, so `down` then `up` keeps carts.

redis_dir() { echo "$CELLSHOP_STATE_DIR/cells/${1%%/*}/redis"; }

redis_launch() {
  local name=$1 dir
  dir=$(redis_dir "$name")
  start_detached "$name" "$dir" "$(command -v redis-server)" --port "$(cell_port "${name%%/*}" 1)" \
    --bind "$(host_address)" --protected-mode yes --daemonize no --dir "$dir" --pidfile "$dir/redis.pid" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory 128mb --maxmemory-policy noeviction \
    --logfile ""
}

redis_ready() { [[ $(redis-cli -h "$(host_address)" -p "$(cell_port "${1%%/*}" 1)" ping 2>/dev/null) == PONG ]]; }

redis_stop() { stop_component "$1" 20; }
