# shellcheck shell=bash
# `ops/cellshop host up|down|status [--json] --inventory FILE --host NAME [--state-dir DIR]`:
# one host of a platform spread over hosts (inventory.sh). It runs exactly that host's roles,
# with the launcher of the local platform (platform.sh, components/*.sh: the same start,
# readiness checks, pid files and status), bound to the host's address, and gives every
# client the whole ZooKeeper ensemble and Kafka cluster. The inventory is read on every call,
# nothing of it is saved: `down` and `status` take the same arguments as `up`.
#
# The members of an ensemble wait for each other: `host up` of a ZooKeeper host returns once a
# quorum serves, so start the ZooKeeper hosts together (on real hosts, each its own `host up`).

host_usage() {
  cat <<USAGE
usage: ops/cellshop host up|down|status|kill [--json] --inventory FILE --host NAME [--state-dir DIR] [--no-build] [COMPONENT]

  up      start the host's roles (the inventory's, bound to its address); idempotent
  down    stop them, data kept
  status  each of its components with pid, port and state (--json: {"host", "address", "components"})
  kill    SIGKILL one of its components (e.g. zookeeper, cell-a/mysql), or all of them: a crash, for
          fault tests; 'up' starts them again

The state directory defaults to .cellshop-hosts/INVENTORY-NAME/HOST in the checkout.
The inventory format: ops/lib/inventory.sh, README "cellshop on several hosts".
USAGE
}

host_command() { # args of `ops/cellshop host`
  local verb= inventory= host= json= build=1 component=
  while (( $# )); do
    case $1 in
      up|down|status|kill) [[ -z $verb ]] || die "host takes one of up, down, status, kill (got '$verb' and '$1')"; verb=$1; shift ;;
      --json) json=1; shift ;;
      --no-build) build=; shift ;;
      --inventory|--host|--state-dir)
        [[ $# -ge 2 ]] || die "$1 needs a value"
        case $1 in --inventory) inventory=$2 ;; --host) host=$2 ;; --state-dir) export CELLSHOP_STATE_DIR=$2 ;; esac
        shift 2 ;;
      --inventory=*) inventory=${1#*=}; shift ;;
      --host=*) host=${1#*=}; shift ;;
      --state-dir=*) export CELLSHOP_STATE_DIR=${1#*=}; shift ;;
      -h|--help|help) host_usage; exit 0 ;;
      -*) host_usage >&2; die "unknown argument '$1' of host" ;;
      *) [[ $verb == kill && -z $component ]] || { host_usage >&2; die "unknown argument '$1' of host"; }
         component=$1; shift ;;
    esac
  done
  [[ -n $verb ]] || { host_usage >&2; die "host needs up, down or status"; }
  [[ -n $inventory ]] || die "host $verb needs --inventory FILE"
  [[ -n $host ]] || die "host $verb needs --host NAME"
  [[ -z $json || $verb == status ]] || die "--json goes with status only"
  inventory_load "$inventory"
  host_settings "$host"
  load_settings
  case $verb in
    up) host_up "$host" "$build" ;;
    down) host_down "$host" ;;
    status) if [[ -n $json ]]; then host_status_json "$host"; else host_status_table "$host"; fi ;;
    kill) host_kill "$host" "$component" ;;
  esac
}

# The settings of the launcher for this host, all from the inventory (settings.sh reads them).
host_settings() { # host
  local address cells
  address=$(inventory_address "$1")
  [[ -n $address ]] || die "no host '$1' in $CELLSHOP_INVENTORY (its hosts: $(inventory_hosts | tr '\n' ' '))"
  cells=$(inventory_cells | sed 's/=.*//' | tr '\n' ' ')
  export CELLSHOP_HOST_NAME=$1 CELLSHOP_HOST_ADDRESS=$address
  export CELLSHOP_ZOOKEEPER_MEMBERS CELLSHOP_KAFKA_NODES CELLSHOP_CELL_ADDRESSES CELLSHOP_CELLS CELLSHOP_SECRETS_DIR CELLSHOP_KAFKA_CLUSTER_ID
  CELLSHOP_ZOOKEEPER_MEMBERS=$(inventory_role_addresses zookeeper | tr '\n' ' ')
  CELLSHOP_KAFKA_NODES=$(inventory_role_addresses kafka | tr '\n' ' ')
  CELLSHOP_CELL_ADDRESSES=$(inventory_cells | tr '\n' ' ')
  export CELLSHOP_ROUTER_ADDRESSES CELLSHOP_CONTROL_ADDRESSES
  CELLSHOP_ROUTER_ADDRESSES=$(inventory_role_addresses router | tr '\n' ' ')
  CELLSHOP_CONTROL_ADDRESSES=$(inventory_role_addresses control-plane | tr '\n' ' ')
  CELLSHOP_CELLS=${cells:- }   # a blank, not empty: no cells, rather than the local default's two
  CELLSHOP_SECRETS_DIR=$(inventory_secrets_dir)
  CELLSHOP_KAFKA_CLUSTER_ID=$(inventory_kafka_cluster_id)
  export CELLSHOP_PORT_BASE CELLSHOP_ROUTER_PORT CELLSHOP_CONTROL_PORT CELLSHOP_RUNTIMES_PER_CELL CELLSHOP_FAULT_LINKS=0
  CELLSHOP_PORT_BASE=$(inventory_query '.ports.base // 13000')
  CELLSHOP_ROUTER_PORT=$(inventory_query '.ports.router // 8080')
  CELLSHOP_CONTROL_PORT=$(inventory_query '.ports.control // 8090')
  CELLSHOP_RUNTIMES_PER_CELL=$(inventory_query '.runtimesPerCell // 2')
  : "${CELLSHOP_STATE_DIR:=$CELLSHOP_REPO/.cellshop-hosts/$(inventory_name)/$1}"
  export CELLSHOP_STATE_DIR
}

host_has_role() { [[ " $(inventory_roles "$1" | tr '\n' ' ')" == *" $2 "* ]]; } # host role

host_cells() { inventory_roles "$1" | sed -n 's/^cell://p'; } # host

# The waves of `host up`, as those of the local platform's `up`: the stores, the control
# plane, then the runtimes and the router.
host_stores() { # host
  local cell
  if host_has_role "$1" zookeeper; then echo zookeeper; fi
  if host_has_role "$1" kafka; then echo kafka; fi
  for cell in $(host_cells "$1"); do cell_stores "$cell"; done
}
host_control() { if host_has_role "$1" control-plane; then platform_control; fi; }
host_services() { # host
  local cell
  for cell in $(host_cells "$1"); do cell_runtimes "$cell"; done
  if host_has_role "$1" router; then platform_routers; fi
}
host_components() { host_stores "$1"; host_control "$1"; host_services "$1"; }

host_up() { # host build(1 or empty)
  local host=$1 build=$2 started=() name t0=$SECONDS services
  services=$(host_control "$host"; host_services "$host")
  ensure_packages
  find_jdk
  if host_has_role "$host" zookeeper; then platform_lib zookeeper >/dev/null; fi
  if host_has_role "$host" kafka; then platform_lib kafka >/dev/null; fi
  if [[ -n $services ]]; then
    if [[ -n $build ]]; then platform_build; fi
    [[ -z $(host_cells "$host") || $CELLSHOP_RUNTIMES_PER_CELL == 0 ]] || service_jar cell-runtime >/dev/null
    if host_has_role "$host" router; then service_jar router >/dev/null; fi
    if host_has_role "$host" control-plane; then service_jar cell-provisioner >/dev/null; fi
  fi
  for name in $(host_components "$host"); do
    component_pid "$name" >/dev/null && continue
    require_port_free "$name" "$(component_port "$name")"
    if [[ $name == kafka ]]; then require_port_free "kafka controller" "$(kafka_controller_port)"; fi
    if [[ $name == zookeeper && -n $(zookeeper_members) ]]; then
      require_port_free "zookeeper quorum" "$(zookeeper_quorum_port)"
      require_port_free "zookeeper election" "$(zookeeper_election_port)"
    fi
  done
  step "starting host $host ($(host_address)) of $(inventory_name) in $CELLSHOP_STATE_DIR"
  if host_has_role "$host" zookeeper && (( $(wc -w <<<"$(zookeeper_members)") > 1 )); then
    say "  zookeeper serves once a majority of the ensemble ($(zookeeper_members | xargs)) is up: start the other zookeeper hosts too"
  fi
  platform_wave $(host_stores "$host")
  if [[ -n $services ]]; then write_platform_json; fi   # the control plane reads the cells' endpoints from it
  platform_wave $(host_control "$host")
  platform_wave $(host_services "$host")
  if (( ${#started[@]} )); then ok "started ${started[*]} in $(( SECONDS - t0 ))s"; else ok "already up: nothing to start"; fi
  host_status_table "$host"
}

host_down() { # host
  platform_stop_all $(host_has_role "$1" router && platform_routers) $(host_control "$1")
  platform_stop_all $(host_services "$1"; running_runtimes)
  platform_stop_all $(host_stores "$1")
  ok "host $1 down (data kept in $CELLSHOP_STATE_DIR)"
}

host_kill() { # host [component]
  local name pid names
  names=$(host_components "$1")
  if [[ -n $2 ]]; then
    grep -qx "$2" <<<"$names" || die "host $1 runs no component '$2' (its components: $(tr '\n' ' ' <<<"$names"))"
    names=$2
  fi
  for name in $names; do
    if pid=$(component_pid "$name"); then
      kill -9 "$pid"
      ok "killed $name of host $1 (pid $pid)"
    fi
  done
}

host_status_table() { # host
  say "host $1 ($(host_address)) of $(inventory_name), state $CELLSHOP_STATE_DIR"
  platform_status_table $(host_components "$1")
}

host_status_json() { # host
  printf '{"host": "%s", "address": "%s", "components": [' "$1" "$(host_address)"
  components_json $(host_components "$1")
  printf '\n]}\n'
}
