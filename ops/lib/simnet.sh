# shellcheck shell=bash
# The simulated network of `ops/cellshop cluster`: one Linux network namespace per host of an
# inventory, each with one veth link to a bridge, as hosts on one switch. The bridge holds the
# operator's address (the gateway of the subnet) so that tests, benches and the CLI on this
# machine reach every host; the namespaces get no route beyond the subnet and the machine
# forwards nothing into it, so no traffic of theirs leaves it.
#
# A partition takes a host's link down at the bridge: its packets are dropped in both
# directions (peers see silence, as with a cut cable, not refused connections) until healed.
# Needs root (or CAP_NET_ADMIN) and iproute2; nothing here touches any other interface.
#
# Names, so that two simulations (each its own bridge) never share one: namespace
# cellshop-<bridge>-<host>; veth <bridge, 9 chars>v<index> on the bridge's side, eth0 inside.

simnet_namespace() { echo "cellshop-$1-$2"; } # bridge host
simnet_veth() { echo "${1:0:9}v$2"; }         # bridge index

# simnet_up BRIDGE GATEWAY PREFIXLEN: the bridge, with the operator's address (idempotent).
simnet_up() {
  local bridge=$1 gateway=$2 prefix=$3
  simnet_require_root
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge || die "cannot create the bridge $bridge (ip link add ... type bridge)"
  fi
  ip addr replace "$gateway/$prefix" dev "$bridge"
  ip link set "$bridge" up
}

# simnet_host_add BRIDGE HOST INDEX ADDRESS PREFIXLEN: the host's namespace and its link (idempotent).
simnet_host_add() {
  local bridge=$1 host=$2 index=$3 address=$4 prefix=$5
  local ns veth
  ns=$(simnet_namespace "$bridge" "$host"); veth=$(simnet_veth "$bridge" "$index")
  if ! simnet_exists "$bridge" "$host"; then
    ip netns add "$ns" || die "cannot create the network namespace $ns"
  fi
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name "$veth-in" || die "cannot create the veth pair $veth"
    ip link set "$veth-in" netns "$ns"
    ip -n "$ns" link set "$veth-in" name eth0
  fi
  ip link set "$veth" master "$bridge"
  ip link set "$veth" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$address/$prefix" dev eth0
  ip -n "$ns" link set eth0 up
}

# simnet_host_del BRIDGE HOST INDEX: its namespace and link (processes still in it must be stopped first).
simnet_host_del() {
  ip link del "$(simnet_veth "$1" "$3")" 2>/dev/null || true
  ip netns del "$(simnet_namespace "$1" "$2")" 2>/dev/null || true
}

simnet_down() {
  ip link del "$1" 2>/dev/null || true
}

# simnet_partition BRIDGE INDEX / simnet_heal BRIDGE INDEX: the host's link down (every packet to or from it dropped) / up.
simnet_partition() { ip link set "$(simnet_veth "$1" "$2")" down; }
simnet_heal() { ip link set "$(simnet_veth "$1" "$2")" up; }

# simnet_partitioned BRIDGE INDEX: true while the host's link is down.
simnet_partitioned() { ! ip -br link show "$(simnet_veth "$1" "$2")" 2>/dev/null | grep -q ' UP '; }

simnet_exists() { ip netns list | grep -q "^$(simnet_namespace "$1" "$2")\( \|$\)"; } # bridge host

# simnet_pids BRIDGE HOST: every process in the host's namespace.
simnet_pids() { ip netns pids "$(simnet_namespace "$1" "$2")" 2>/dev/null || true; }

# simnet_exec BRIDGE HOST COMMAND...: runs COMMAND inside the host's namespace (what it starts stays there).
simnet_exec() {
  local ns
  ns=$(simnet_namespace "$1" "$2"); shift 2
  ip netns exec "$ns" "$@"
}

simnet_require_root() {
  (( EUID == 0 )) || die "the simulated network needs root (network namespaces and a bridge): run as root"
  command -v ip >/dev/null 2>&1 || die "the simulated network needs iproute2's ip"
}
