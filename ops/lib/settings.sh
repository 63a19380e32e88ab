# shellcheck shell=bash
# Where the local platform lives and which ports it takes. Every setting is an
# environment variable (or a flag of ops/cellshop); the values an `up` used are saved in
# $CELLSHOP_STATE_DIR/platform.env so that later `status`/`down` talk to the same ports.
#
#   CELLSHOP_STATE_DIR     state directory (data, logs, pids)      default: <repo>/.cellshop
#   CELLSHOP_PORT_BASE     base of the private port block          default: 13000
#   CELLSHOP_CELLS         cells of the platform                   default: "cell-a cell-b"
#   CELLSHOP_ROUTER_PORT   the router (127.0.0.1)                  default: 8080
#   CELLSHOP_CONTROL_PORT  the control plane (127.0.0.1)           default: 8090
#   CELLSHOP_START_TIMEOUT seconds a component may take to start   default: 90
#   CELLSHOP_RUNTIMES_PER_CELL cell-runtime instances per cell (0..7) default: 2
#   CELLSHOP_FAULT_LINKS   1: a fault proxy on each link (ops/chaos)  default: 0
#
# Port layout from the base B: zookeeper B+181 (as an ensemble member also B+182 for the quorum and
# B+183 for leader election), kafka B+92 (controller B+93), and the
# cell at position i (0 for cell-a) gets B+300+10*i (mysql), +1 (redis), +2 (memcached),
# +2+N (cell-runtime instance N = 1..CELLSHOP_RUNTIMES_PER_CELL: cell-a runtime-1 on B+303).
# Cells added later by `ops/cellshop cell-up NAME` (the control plane's `cell create NAME`)
# are listed in $CELLSHOP_STATE_DIR/added-cells and come after CELLSHOP_CELLS (platform_cells).
# With CELLSHOP_FAULT_LINKS=1 the links' proxies take B+400..B+403 and, per cell i, six ports
# per runtime from B+410+50*i (components/link.sh); at most ten cells then.

CELLSHOP_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

load_settings() {
  local state=${CELLSHOP_STATE_DIR:-$CELLSHOP_REPO/.cellshop}
  mkdir -p "$state"
  CELLSHOP_STATE_DIR=$(cd "$state" && pwd)
  local saved=$CELLSHOP_STATE_DIR/platform.env
  if [[ -f $saved ]]; then
    # Saved values fill in what the caller did not set explicitly.
    local line key
    while IFS= read -r line; do
      key=${line%%=*}
      [[ -z ${!key:-} ]] && export "$line"
    done < "$saved"
  fi
  : "${CELLSHOP_PORT_BASE:=13000}"
  : "${CELLSHOP_CELLS:=cell-a cell-b}"
  : "${CELLSHOP_ROUTER_PORT:=8080}"
  : "${CELLSHOP_CONTROL_PORT:=8090}"
  : "${CELLSHOP_START_TIMEOUT:=90}"
  : "${CELLSHOP_RUNTIMES_PER_CELL:=2}"
  : "${CELLSHOP_FAULT_LINKS:=0}"
  [[ $CELLSHOP_FAULT_LINKS == [01] ]] || die "invalid CELLSHOP_FAULT_LINKS='$CELLSHOP_FAULT_LINKS': expected 0 or 1"
  local name
  for name in CELLSHOP_PORT_BASE CELLSHOP_ROUTER_PORT CELLSHOP_CONTROL_PORT CELLSHOP_START_TIMEOUT CELLSHOP_RUNTIMES_PER_CELL; do
    [[ ${!name} =~ ^[0-9]+$ ]] || die "invalid $name='${!name}': expected a whole number"
  done
  (( CELLSHOP_PORT_BASE >= 1024 && CELLSHOP_PORT_BASE <= 65000 )) \
    || die "invalid CELLSHOP_PORT_BASE=$CELLSHOP_PORT_BASE: expected 1024..65000 (the platform uses about 400 ports above it)"
  # A cell's block of ten ports holds its three stores and at most seven runtimes (+3..+9).
  (( CELLSHOP_RUNTIMES_PER_CELL <= 7 )) \
    || die "invalid CELLSHOP_RUNTIMES_PER_CELL=$CELLSHOP_RUNTIMES_PER_CELL: expected 0..7 (a cell has ports for seven instances)"
  for name in $CELLSHOP_CELLS; do
    valid_cell_name "$name" || die "invalid cell name '$name' in CELLSHOP_CELLS: lower-case letters, digits and '-' only"
  done
  export CELLSHOP_STATE_DIR CELLSHOP_PORT_BASE CELLSHOP_CELLS CELLSHOP_ROUTER_PORT CELLSHOP_CONTROL_PORT CELLSHOP_START_TIMEOUT \
    CELLSHOP_RUNTIMES_PER_CELL CELLSHOP_FAULT_LINKS
  CELLSHOP_LOG_DIR=$CELLSHOP_STATE_DIR/logs
  CELLSHOP_PID_DIR=$CELLSHOP_STATE_DIR/pids
  mkdir -p "$CELLSHOP_LOG_DIR" "$CELLSHOP_PID_DIR"
}

save_settings() {
  {
    echo "CELLSHOP_PORT_BASE=$CELLSHOP_PORT_BASE"
    echo "CELLSHOP_CELLS=$CELLSHOP_CELLS"
    echo "CELLSHOP_ROUTER_PORT=$CELLSHOP_ROUTER_PORT"
    echo "CELLSHOP_CONTROL_PORT=$CELLSHOP_CONTROL_PORT"
    echo "CELLSHOP_RUNTIMES_PER_CELL=$CELLSHOP_RUNTIMES_PER_CELL"
    echo "CELLSHOP_FAULT_LINKS=$CELLSHOP_FAULT_LINKS"
  } > "$CELLSHOP_STATE_DIR/platform.env"
}

zookeeper_port() { echo $(( CELLSHOP_PORT_BASE + 181 )); }
zookeeper_quorum_port() { echo $(( CELLSHOP_PORT_BASE + 182 )); }
zookeeper_election_port() { echo $(( CELLSHOP_PORT_BASE + 183 )); }
kafka_port() { echo $(( CELLSHOP_PORT_BASE + 92 )); }
kafka_controller_port() { echo $(( CELLSHOP_PORT_BASE + 93 )); }

# Where the servers of this machine listen and where clients find the shared ones. The local
# platform has everything on 127.0.0.1; `ops/cellshop host up` (host.sh) sets, from the
# inventory, this host's address (CELLSHOP_HOST_ADDRESS), the ZooKeeper ensemble's and the
# Kafka cluster's addresses in id order (CELLSHOP_ZOOKEEPER_MEMBERS, CELLSHOP_KAFKA_NODES) and
# each cell's host (CELLSHOP_CELL_ADDRESSES="cell-a=10.0.0.21 ..."), the routers' and the control
# planes' (CELLSHOP_ROUTER_ADDRESSES, CELLSHOP_CONTROL_ADDRESSES). Every host uses the same ports.
host_address() { echo "${CELLSHOP_HOST_ADDRESS:-127.0.0.1}"; }
zookeeper_members() { echo "${CELLSHOP_ZOOKEEPER_MEMBERS:-}"; }
kafka_nodes() { echo "${CELLSHOP_KAFKA_NODES:-}"; }

# A member's id (ZooKeeper's myid, Kafka's node.id): this host's position among the members, from 1.
member_id() { # addresses...
  local i=1 a
  for a in "$@"; do
    [[ $a == "$(host_address)" ]] && { echo "$i"; return 0; }
    i=$(( i + 1 ))
  done
  die "$(host_address) is not among the members $*"
}

# The whole ensemble for a client; locally the one server (or the client's fault link; none
# for no client, e.g. platform.json's address of the platform's ZooKeeper).
zookeeper_connect_for() { # [client]
  local members a out=
  members=$(zookeeper_members)
  if [[ -z $members ]]; then
    if [[ -n ${1:-} ]]; then echo "127.0.0.1:$(store_port_for "$1" zookeeper)"; else echo "127.0.0.1:$(zookeeper_port)"; fi
    return
  fi
  for a in $members; do out+="${out:+,}$a:$(zookeeper_port)"; done
  echo "$out"
}

# Every Kafka node, for a client's bootstrap list.
kafka_bootstrap() {
  local nodes a out=
  nodes=$(kafka_nodes)
  [[ -n $nodes ]] || { echo "127.0.0.1:$(kafka_port)"; return; }
  for a in $nodes; do out+="${out:+,}$a:$(kafka_port)"; done
  echo "$out"
}

# Where tools (platform.json) find a router and a control plane: the first of the inventory's, or this host.
router_address() { set -- ${CELLSHOP_ROUTER_ADDRESSES:-} "$(host_address)"; echo "$1"; }
control_address() { set -- ${CELLSHOP_CONTROL_ADDRESSES:-} "$(host_address)"; echo "$1"; }

cell_address() { # cell
  local pair
  for pair in ${CELLSHOP_CELL_ADDRESSES:-}; do
    [[ ${pair%%=*} == "$1" ]] && { echo "${pair#*=}"; return; }
  done
  host_address
}

# The secrets of the platform: the state directory's, or the directory every host shares (inventory).
secrets_dir() { echo "${CELLSHOP_SECRETS_DIR:-$CELLSHOP_STATE_DIR/secrets}"; }

valid_cell_name() { [[ $1 =~ ^[a-z][a-z0-9-]{0,31}$ && $1 != *- ]]; }

added_cells_file() { echo "$CELLSHOP_STATE_DIR/added-cells"; }

# Every cell of the platform: CELLSHOP_CELLS, then the cells `cell-up` added, in the order
# they were added (read each time, so a `down` after a `cell-up` in another process sees them).
platform_cells() {
  local c seen=" "
  for c in $CELLSHOP_CELLS $(cat "$(added_cells_file)" 2>/dev/null); do
    [[ $seen == *" $c "* ]] && continue
    seen+="$c "
    echo "$c"
  done
}

# Position of a cell in platform_cells, so that its ports and MariaDB server_id stay put.
cell_index() {
  local i=0 c
  for c in $(platform_cells); do
    [[ $c == "$1" ]] && { echo "$i"; return 0; }
    i=$(( i + 1 ))
  done
  die "unknown cell '$1' (cells of this platform: $(platform_cells | tr '\n' ' '))"
}
cell_port() { # cell offset
  echo $(( CELLSHOP_PORT_BASE + 300 + 10 * $(cell_index "$1") + $2 ))
}
