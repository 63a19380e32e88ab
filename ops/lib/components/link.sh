# shellcheck shell=bash
# A link, `links/cell-a/runtime-1/zookeeper`: a TCP fault proxy (LinkProxyMain of
# platform-testkit) on the one link from a client (`cell-a/runtime-1`, `router`,
# `control-plane`) to a store (`mysql`, `redis`: its cell's; `zookeeper`), so ops/chaos can
# partition that link alone (`curl -X POST 127.0.0.1:CONTROL/link/{pass,cut,blackhole,latency?ms=N}`)
# and leave the store up for everyone else. Only with CELLSHOP_FAULT_LINKS=1; `up` starts the
# links with the stores (a proxy dials its store per connection, so it needs nothing first) and
# points each client at its link's port; `down` stops them with the stores, after their clients.
# Kafka has no link: a Kafka client dials the broker's advertised address after the bootstrap,
# so a proxy on the bootstrap address alone would not partition it.
#
# Ports: the link listens on P and is switched on its control port P+1 (ops/chaos relies on it):
# router B+400, control plane B+402, and runtime N of the cell at position i
# B+410+50*i+6*(N-1) + 0 (mysql), 2 (redis), 4 (zookeeper). LinkProxyMain uses only the JDK,
# so platform-testkit's jar (a copy in lib/, as for the services) is its whole classpath.

links_on() { [[ ${CELLSHOP_FAULT_LINKS:-0} == 1 ]]; }

# The links of a client (none unless links_on).
client_links() { # client
  links_on || return 0
  case $1 in
    */runtime-*) printf 'links/%s/%s\n' "$1" mysql "$1" redis "$1" zookeeper ;;
    router|control-plane) echo "links/$1/zookeeper" ;;
  esac
}

link_client() { local rest=${1#links/}; echo "${rest%/*}"; }
link_store() { echo "${1##*/}"; }

# The component a link leads to: a runtime's MySQL and Redis are its cell's.
link_target() { # link
  case $(link_store "$1") in
    mysql|redis) echo "$(runtime_cell "$(link_client "$1")")/$(link_store "$1")" ;;
    *) link_store "$1" ;;
  esac
}

link_port() { # link
  local client port
  client=$(link_client "$1")
  case $client in
    router) port=$(( CELLSHOP_PORT_BASE + 400 )) ;;
    control-plane) port=$(( CELLSHOP_PORT_BASE + 402 )) ;;
    *) port=$(( CELLSHOP_PORT_BASE + 410 + 50 * $(cell_index "$(runtime_cell "$client")") + 6 * ($(runtime_number "$client") - 1) ))
       case $(link_store "$1") in redis) port=$(( port + 2 )) ;; zookeeper) port=$(( port + 4 )) ;; esac ;;
  esac
  (( port < 65535 )) || die "no port left for $1 above $CELLSHOP_PORT_BASE: lower CELLSHOP_PORT_BASE"
  echo "$port"
}
link_control_port() { echo $(( $(link_port "$1") + 1 )); }

# The port a client dials for a store: its link's when links_on, else the store's own.
store_port_for() { # client store
  if links_on; then link_port "links/$1/$2"; else component_port "$(link_target "links/$1/$2")"; fi
}

link_launch() {
  local name=$1 jar
  jar=$(service_jar platform-testkit)
  start_detached "$name" "$CELLSHOP_STATE_DIR/links" "$JAVA_HOME/bin/java" -Xms8m -Xmx32m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Dcellshop.component="$name" \
    -cp "$jar" dev.cellshop.testkit.faults.LinkProxyMain --listen "127.0.0.1:$(link_port "$name")" \
    --to "127.0.0.1:$(component_port "$(link_target "$name")")" --control "$(link_control_port "$name")"
}

link_ready() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$(link_control_port "$1")/link"; }

link_stop() { stop_component "$1" 10; }
