# shellcheck shell=bash
# `ops/cellshop cluster ...`: a whole inventory on this machine, each host in a network
# namespace of its own on one bridge (simnet.sh), each started by the same `host up` a real
# host runs (host.sh). For tests and demos of what only a network shows: partitions, a
# host that dies, an ensemble that loses its leader.
#
#   cluster up [--inventory FILE]      namespaces, bridge, then every host's `host up`, in waves
#                                      (ZooKeeper and Kafka hosts together, then cells, then the rest)
#   cluster down                       every host down, namespaces and bridge removed (data kept)
#   cluster status [--json]            every host's components; the routers' and control planes' URLs
#   cluster partition HOST | heal HOST its link down (all its packets dropped) | up again
#   cluster kill HOST[/COMPONENT]      SIGKILL: the host's every process (a crash), or one component
#   cluster start HOST[/COMPONENT]     `host up` of that host again: starts what is not running
#
# The state directory (default .cellshop-cluster) holds a copy of the inventory `up` was given
# (its secrets directory made the state's own `secrets/`), one state directory per host under
# hosts/, and the hosts' start logs under logs/; later commands read the inventory from there.
# The default inventory is ops/cluster/sim.json. Its "simulation" key names the bridge and the
# operator's address on it (the subnet's gateway); every host address must be in that subnet.

cluster_usage() {
  cat <<USAGE
usage: ops/cellshop [--state-dir DIR] cluster COMMAND   (as root: it makes network namespaces)

  up [--inventory FILE] [--no-build]  one network namespace per host of FILE (default ops/cluster/sim.json),
                          joined by a bridge, and each host's roles started in it
  down                    every host down, namespaces and bridge removed (data kept in the state dir)
  status [--json]         hosts, their components (pid, port, up), routers and control planes
  partition HOST          the host's link down: every packet to or from it dropped
  heal HOST               its link up again
  kill HOST[/COMPONENT]   SIGKILL every process of the host (a crash), or one component (e.g. core-1/zookeeper)
  start HOST[/COMPONENT]  start what is not running on the host again

State directory: .cellshop-cluster in the checkout unless --state-dir.
USAGE
}

cluster_command() {
  local verb=${1:-} inventory= json= build=1 target=
  [[ -n $verb ]] || { cluster_usage >&2; die "cluster needs a command"; }
  shift
  while (( $# )); do
    case $1 in
      --inventory) [[ $# -ge 2 ]] || die "--inventory needs a file"; inventory=$2; shift 2 ;;
      --inventory=*) inventory=${1#*=}; shift ;;
      --json) json=1; shift ;;
      --no-build) build=; shift ;;
      -h|--help|help) cluster_usage; exit 0 ;;
      -*) cluster_usage >&2; die "unknown option '$1' of cluster $verb" ;;
      *) [[ -z $target ]] || die "cluster $verb takes one host"; target=$1; shift ;;
    esac
  done
  [[ -z $inventory || $verb == up ]] || die "--inventory goes with 'cluster up' (later commands use the copy it keeps)"
  [[ -z $json || $verb == status ]] || die "--json goes with status only"
  CLUSTER_STATE=${CELLSHOP_STATE_DIR:-$CELLSHOP_REPO/.cellshop-cluster}
  mkdir -p "$CLUSTER_STATE"
  CLUSTER_STATE=$(cd "$CLUSTER_STATE" && pwd)
  unset CELLSHOP_STATE_DIR   # each host has its own, under hosts/
  case $verb in
    up) [[ -z $target ]] || die "cluster up takes no host"; cluster_up "${inventory:-$CELLSHOP_REPO/ops/cluster/sim.json}" "$build" ;;
    down) [[ -z $target ]] || die "cluster down takes no host"; cluster_load; cluster_down ;;
    status) cluster_load; if [[ -n $json ]]; then cluster_status_json; else cluster_status_table; fi ;;
    partition|heal|kill|start)
      [[ -n $target ]] || die "cluster $verb needs a host, e.g. 'ops/cellshop cluster $verb $(cluster_example_host)'"
      cluster_load
      "cluster_$verb" "$target" ;;
    *) cluster_usage >&2; die "unknown cluster command '$verb'" ;;
  esac
}

cluster_example_host() { [[ -f $CLUSTER_STATE/inventory.json ]] && jq -r '.hosts[0].name' "$CLUSTER_STATE/inventory.json" || echo core-1; }

# The inventory `cluster up` kept; dies when no cluster was made here.
cluster_load() {
  [[ -f $CLUSTER_STATE/inventory.json ]] || die "no cluster in $CLUSTER_STATE: 'ops/cellshop cluster up' makes one"
  inventory_load "$CLUSTER_STATE/inventory.json"
}

cluster_sim() { inventory_query ".simulation.$1 // \"$2\""; } # key default
cluster_bridge() { cluster_sim bridge cellshop0; }
cluster_gateway() { cluster_sim gateway 10.213.0.1; }
cluster_prefix() { cluster_sim prefix 24; }
cluster_index() { inventory_query --arg h "$1" '[.hosts[].name] | index($h) + 1'; } # host -> 1-based position
cluster_host_state() { echo "$CLUSTER_STATE/hosts/$1"; }

cluster_require_host() { # host
  inventory_hosts | grep -qx "$1" || die "no host '$1' in the cluster (its hosts: $(inventory_hosts | tr '\n' ' '))"
}

ipv4_number() { local IFS=.; read -r a b c d <<<"$1"; echo $(( (a << 24) | (b << 16) | (c << 8) | d )); }

# Every host inside the bridge's subnet, none on the gateway: otherwise the hosts could not reach each other.
cluster_check_addresses() {
  local gateway prefix mask net host address
  gateway=$(cluster_gateway); prefix=$(cluster_prefix)
  [[ $prefix =~ ^[0-9]+$ ]] && (( prefix >= 8 && prefix <= 30 )) || die "simulation.prefix must be 8..30 (got '$prefix')"
  mask=$(( (0xffffffff << (32 - prefix)) & 0xffffffff ))
  net=$(( $(ipv4_number "$gateway") & mask ))
  for host in $(inventory_hosts); do
    address=$(inventory_address "$host")
    (( ($(ipv4_number "$address") & mask) == net )) \
      || die "host $host's address $address is outside the simulated network $gateway/$prefix"
    [[ $address != "$gateway" ]] || die "host $host's address $address is the simulated network's gateway (the operator's)"
  done
}

# `host up|down|status ...` of one host, run inside its namespace, with its state directory.
cluster_host() { # host verb args...
  local host=$1 verb=$2; shift 2
  simnet_exec "$(cluster_bridge)" "$host" "$CELLSHOP_REPO/ops/cellshop" host "$verb" --inventory "$CELLSHOP_INVENTORY" --host "$host" \
    --state-dir "$(cluster_host_state "$host")" "$@"
}

cluster_wave_of() { # host -> 1: ZooKeeper or Kafka, 2: a cell, 3: the rest
  local roles
  roles=" $(inventory_roles "$1" | tr '\n' ' ')"
  if [[ $roles == *" zookeeper "* || $roles == *" kafka "* ]]; then echo 1
  elif [[ $roles == *" cell:"* ]]; then echo 2
  else echo 3; fi
}

# Starts (or stops) the given hosts at once, each logging to logs/host-NAME.log; dies naming those that failed.
cluster_hosts_at_once() { # verb hosts...
  local verb=$1 host failed=() pids=() i=0; shift
  mkdir -p "$CLUSTER_STATE/logs"
  for host in "$@"; do
    cluster_host "$host" "$verb" ${CLUSTER_HOST_ARGS:-} >"$CLUSTER_STATE/logs/host-$host.log" 2>&1 &
    pids+=($!)
  done
  for host in "$@"; do
    wait "${pids[$i]}" || failed+=("$host")
    i=$(( i + 1 ))
  done
  if (( ${#failed[@]} )); then
    for host in "${failed[@]}"; do
      printf '%s\n' "--- host $host ($CLUSTER_STATE/logs/host-$host.log):" >&2
      tail -n 15 "$CLUSTER_STATE/logs/host-$host.log" >&2
    done
    die "host $verb failed on ${failed[*]}"
  fi
}

cluster_up() { # inventory build
  local source=$1 build=$2 t0=$SECONDS wave hosts host
  simnet_require_root
  ensure_commands jq=jq
  inventory_load "$source"
  # The cluster's own copy: its secrets live in the state directory, whatever the source said.
  jq --arg dir "$CLUSTER_STATE/secrets" '.secrets = {dir: $dir}' "$source" > "$CLUSTER_STATE/inventory.json.tmp"
  mv "$CLUSTER_STATE/inventory.json.tmp" "$CLUSTER_STATE/inventory.json"
  inventory_load "$CLUSTER_STATE/inventory.json"
  cluster_check_addresses
  step "cluster $(inventory_name): $(inventory_hosts | wc -l) hosts on $(cluster_bridge) ($(cluster_gateway)/$(cluster_prefix)), state $CLUSTER_STATE"
  # What needs the network beyond the bridge happens here, before any host starts: the
  # namespaces have no route out (their builds and downloads would fail).
  ensure_packages
  find_jdk
  (
    export CELLSHOP_STATE_DIR=$CLUSTER_STATE
    load_settings
    if [[ -n $build ]]; then platform_build; fi
    platform_lib zookeeper >/dev/null
    platform_lib kafka >/dev/null
  )
  simnet_up "$(cluster_bridge)" "$(cluster_gateway)" "$(cluster_prefix)"
  for host in $(inventory_hosts); do
    simnet_host_add "$(cluster_bridge)" "$host" "$(cluster_index "$host")" "$(inventory_address "$host")" "$(cluster_prefix)"
  done
  for wave in 1 2 3; do
    hosts=()
    for host in $(inventory_hosts); do
      [[ $(cluster_wave_of "$host") == "$wave" ]] && hosts+=("$host")
    done
    (( ${#hosts[@]} )) || continue
    say "  starting ${hosts[*]}"
    CLUSTER_HOST_ARGS=--no-build cluster_hosts_at_once up "${hosts[@]}"
  done
  ok "cluster $(inventory_name) up in $(( SECONDS - t0 ))s"
  cluster_status_table
}

cluster_down() {
  local wave hosts host
  for host in $(inventory_hosts); do   # a partitioned host could not hear its peers go
    if simnet_exists "$(cluster_bridge)" "$host" && simnet_partitioned "$(cluster_bridge)" "$(cluster_index "$host")"; then simnet_heal "$(cluster_bridge)" "$(cluster_index "$host")"; fi
  done
  for wave in 3 2 1; do
    hosts=()
    for host in $(inventory_hosts); do
      [[ $(cluster_wave_of "$host") == "$wave" ]] && simnet_exists "$(cluster_bridge)" "$host" && hosts+=("$host")
    done
    (( ${#hosts[@]} )) || continue
    say "  stopping ${hosts[*]}"
    ( cluster_hosts_at_once down "${hosts[@]}" ) || true   # what did not stop is killed below
  done
  for host in $(inventory_hosts); do
    if simnet_exists "$(cluster_bridge)" "$host"; then
      simnet_pids "$(cluster_bridge)" "$host" | xargs -r kill -9 2>/dev/null || true
    fi
    simnet_host_del "$(cluster_bridge)" "$host" "$(cluster_index "$host")"
  done
  simnet_down "$(cluster_bridge)"
  ok "cluster $(inventory_name) down (data kept in $CLUSTER_STATE)"
}

cluster_partition() {
  cluster_require_host "$1"
  simnet_partition "$(cluster_bridge)" "$(cluster_index "$1")"
  ok "host $1 ($(inventory_address "$1")) partitioned: its link is down"
}

cluster_heal() {
  cluster_require_host "$1"
  simnet_heal "$(cluster_bridge)" "$(cluster_index "$1")"
  ok "host $1 ($(inventory_address "$1")) healed: its link is up"
}

cluster_kill() { # HOST[/COMPONENT]
  local host=${1%%/*} component=
  [[ $1 == */* ]] && component=${1#*/}
  cluster_require_host "$host"
  if [[ -z $component ]]; then
    simnet_pids "$(cluster_bridge)" "$host" | xargs -r kill -9
    ok "host $host crashed: every process in it killed"
  else
    cluster_host "$host" kill "$component"
  fi
}

cluster_start() { # HOST[/COMPONENT]: `host up` starts whatever of the host is not running
  local host=${1%%/*}
  cluster_require_host "$host"
  cluster_host "$host" up --no-build
}

cluster_status_json() {
  local host first=1
  printf '{"name": "%s", "hosts": [' "$(inventory_name)"
  for host in $(inventory_hosts); do
    (( first )) || printf ','
    first=0
    if simnet_exists "$(cluster_bridge)" "$host"; then
      cluster_host "$host" status --json \
        | jq -c --argjson cut "$(simnet_partitioned "$(cluster_bridge)" "$(cluster_index "$host")" && echo true || echo false)" \
            '{name: .host, address, partitioned: $cut, components}'
    else
      jq -cn --arg n "$host" --arg a "$(inventory_address "$host")" '{name: $n, address: $a, partitioned: false, components: []}'
    fi
  done
  printf '], "routers": %s, "controlPlanes": %s}\n' \
    "$(cluster_urls router "$(inventory_query '.ports.router // 8080')")" \
    "$(cluster_urls control-plane "$(inventory_query '.ports.control // 8090')")"
}

cluster_urls() { # role port -> JSON list of http://address:port
  inventory_role_addresses "$1" | jq -R --arg p "$2" '"http://\(.):\($p)"' | jq -sc .
}

cluster_status_table() {
  local host
  for host in $(inventory_hosts); do
    if ! simnet_exists "$(cluster_bridge)" "$host"; then
      say "host $host ($(inventory_address "$host")): no namespace (cluster down)"
      continue
    fi
    if simnet_partitioned "$(cluster_bridge)" "$(cluster_index "$host")"; then say "host $host: PARTITIONED (its link is down)"; fi
    cluster_host "$host" status || true
  done
}
