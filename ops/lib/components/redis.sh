# shellcheck shell=bash
# A cell's Redis (carts, rate limits): append-only file on, so `down` then `up` keeps carts.

redis_dir() { echo "$CELLSHOP_STATE_DIR/cells/${1%%/*}/redis"; }

# Protected mode answers only loopback clients while no password is set: on a host's own
# address (another host's runtimes connect) it is off, and the network keeps strangers out
# (the simulation's bridge has no route beyond it; on real hosts, the cell's security group).
# TODO: a per-cell Redis password (requirepass from the cell's secrets) instead.
redis_protected_mode() { [[ $(host_address) == 127.* ]] && echo yes || echo no; }

redis_launch() {
  local name=$1 dir
  dir=$(redis_dir "$name")
  start_detached "$name" "$dir" "$(command -v redis-server)" --port "$(cell_port "${name%%/*}" 1)" \
    --bind "$(host_address)" --protected-mode "$(redis_protected_mode)" --daemonize no --dir "$dir" --pidfile "$dir/redis.pid" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory 128mb --maxmemory-policy noeviction \
    --logfile ""
}

redis_ready() { [[ $(redis-cli -h "$(host_address)" -p "$(cell_port "${1%%/*}" 1)" ping 2>/dev/null) == PONG ]]; }

redis_stop() { stop_component "$1" 20; }
