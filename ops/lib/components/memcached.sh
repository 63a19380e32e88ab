# shellcheck shell=bash
# A cell's Memcached (product read cache). Its contents are a cache: lost on restart.

memcached_launch() {
  local name=$1 dir run_as=()
  dir=$CELLSHOP_STATE_DIR/cells/${name%%/*}/memcached
  (( EUID == 0 )) && run_as=(-u root)
  start_detached "$name" "$dir" "$(command -v memcached)" "${run_as[@]}" -l "$(host_address)" \
    -p "$(cell_port "${name%%/*}" 2)" -U 0 -m 64 -c 1024 -t 2 -P "$dir/memcached.pid"
}

memcached_ready() {
  local reply
  exec 3<>"/dev/tcp/$(host_address)/$(cell_port "${1%%/*}" 2)" || return 1
  printf 'version\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ $reply == VERSION* ]]
}

memcached_stop() { stop_component "$1" 10; }
