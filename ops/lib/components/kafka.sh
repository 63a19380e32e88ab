# shellcheck shell=bash
# One Apache Kafka 4.4 broker in KRaft mode (broker + controller in one JVM), from the
# Maven kafka_2.13 jars; its storage is formatted on the first start only.
# As a node of a cluster (`host up` with CELLSHOP_KAFKA_NODES, settings.sh): node.id is its
# position among the nodes, every node is a controller voter, its listeners are on this host's
# address, it is formatted with the cluster id every node shares (CELLSHOP_KAFKA_CLUSTER_ID), and
# with 3 nodes every topic (cellshop.orders, which the cells' outbox relays create on their first
# send, and Kafka's own offsets and transaction topics) gets 3 replicas and min.insync.replicas=2:
# a send with acks=all (the relays') survives one node lost.

kafka_dir() { echo "$CELLSHOP_STATE_DIR/kafka"; }

kafka_write_config() {
  local dir=$1
  local address replicas=1 min_isr=1
  address=$(host_address)
  if [[ -n $(kafka_nodes) ]]; then
    replicas=$(wc -w <<<"$(kafka_nodes)"); (( replicas > 3 )) && replicas=3
    (( replicas >= 3 )) && min_isr=2
  fi
  cat > "$dir/server.properties" <<CFG
process.roles=broker,controller
$(kafka_quorum_config)
listeners=PLAINTEXT://$address:$(kafka_port),CONTROLLER://$address:$(kafka_controller_port)
advertised.listeners=PLAINTEXT://$address:$(kafka_port)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
default.replication.factor=$replicas
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replicas
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
log.retention.hours=72
log.segment.bytes=67108864
CFG
  cat > "$dir/log4j2.xml" <<'CFG'
<Configuration status="WARN">
  <Appenders>
    <Console name="OUT" target="SYSTEM_OUT"><PatternLayout pattern="%d{ISO8601} %-5p [%c{1}] %m%n"/></Console>
  </Appenders>
  <Loggers>
    <Logger name="kafka" level="INFO"/>
    <Logger name="org.apache.kafka" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Root level="WARN"><AppenderRef ref="OUT"/></Root>
  </Loggers>
</Configuration>
CFG
}

# The node's id and the controller quorum: locally node 1 alone (formatted --standalone); in a
# cluster every node, as the static voter set controller.quorum.voters.
kafka_quorum_config() {
  local nodes a n=1 voters=
  nodes=$(kafka_nodes)
  if [[ -z $nodes ]]; then
    echo "node.id=1"
    echo "controller.quorum.bootstrap.servers=127.0.0.1:$(kafka_controller_port)"
    return
  fi
  # shellcheck disable=SC2086
  echo "node.id=$(member_id $nodes)"
  for a in $nodes; do voters+="${voters:+,}$n@$a:$(kafka_controller_port)"; n=$(( n + 1 )); done
  echo "controller.quorum.voters=$voters"
}

kafka_launch() {
  local dir lib java
  dir=$(kafka_dir); lib=$(platform_lib kafka); java=$JAVA_HOME/bin/java
  mkdir -p "$dir"
  kafka_write_config "$dir"
  if [[ ! -f $dir/data/meta.properties ]]; then
    local cluster_id=${CELLSHOP_KAFKA_CLUSTER_ID:-} quorum=(--standalone)
    [[ -n $(kafka_nodes) ]] && quorum=()   # the static voters of server.properties
    [[ -n $cluster_id ]] || cluster_id=$("$java" -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>>"$(log_file kafka)" | tail -n 1)
    "$java" -Dlog4j2.configurationFile="$dir/log4j2.xml" -cp "$lib/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$dir/server.properties" "${quorum[@]}" >>"$(log_file kafka)" 2>&1 \
      || die "formatting Kafka's storage failed. Its log: $(log_file kafka)"
  fi
  start_detached kafka "$dir" "$java" -Xms64m -Xmx"${CELLSHOP_KAFKA_HEAP:-384m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.xml" \
    -cp "$lib/*" kafka.Kafka "$dir/server.properties"
}

kafka_ready() { port_open "$(kafka_port)" && port_open "$(kafka_controller_port)"; }

# A controlled shutdown (SIGTERM) can take a while with a single node; give it time. In a
# cluster it needs the controller quorum: a node whose peers are gone (the last of a `host down`
# after the others, or two stopping at once) would wait for it in vain, so once no majority of
# voters is reachable it gets 10 s more, then is killed. Its log is recovered at its next start,
# and what the cluster acknowledged (acks=all, min.insync.replicas=2) is on the other nodes too.
kafka_stop() {
  local pid t0=$SECONDS deadline=$(( SECONDS + 40 )) lost=
  [[ -n $(kafka_nodes) ]] || { stop_component kafka 40; return; }
  pid=$(component_pid kafka) || { rm -f "$(pid_file kafka)"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  while [[ -d /proc/$pid ]] && (( SECONDS < deadline )); do
    if [[ -z $lost ]] && ! kafka_quorum_left; then
      lost=$SECONDS; deadline=$(( SECONDS + 10 ))
      say "  kafka: no majority of the controller quorum reachable; its controlled shutdown cannot complete: 10 s, then killed"
    fi
    sleep 0.2
  done
  if [[ -d /proc/$pid ]]; then
    warn "kafka (pid $pid) did not stop within $(( SECONDS - t0 ))s; killing it. Its log: $(log_file kafka)"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait_exit kafka "$pid" 10
}

# Whether this node and the other voters it reaches make a majority.
kafka_quorum_left() {
  local a voters=0 reachable=0
  for a in $(kafka_nodes); do
    voters=$(( voters + 1 ))
    if [[ $a == "$(host_address)" ]] || port_open "$(kafka_controller_port)" "$a"; then reachable=$(( reachable + 1 )); fi
  done
  (( reachable * 2 > voters ))
}
