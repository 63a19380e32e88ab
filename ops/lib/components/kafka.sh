# shellcheck shell=bash
# One Apache Kafka 4.4 broker in KRaft mode (broker + controller in one JVM), from the
# Maven kafka_2.13 jars; its storage is formatted on the first start only.

kafka_dir() { echo "$CELLSHOP_STATE_DIR/kafka"; }

kafka_write_config() {
  local dir=$1
  cat > "$dir/server.properties" <<CFG
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$(kafka_controller_port)
listeners=PLAINTEXT://127.0.0.1:$(kafka_port),CONTROLLER://127.0.0.1:$(kafka_controller_port)
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
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

kafka_launch() {
  local dir lib java
  dir=$(kafka_dir); lib=$(platform_lib kafka); java=$JAVA_HOME/bin/java
  mkdir -p "$dir"
  kafka_write_config "$dir"
  if [[ ! -f $dir/data/meta.properties ]]; then
    local cluster_id
    cluster_id=$("$java" -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>>"$(log_file kafka)" | tail -n 1)
    "$java" -Dlog4j2.configurationFile="$dir/log4j2.xml" -cp "$lib/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$dir/server.properties" --standalone >>"$(log_file kafka)" 2>&1 \
      || die "formatting Kafka's storage failed. Its log: $(log_file kafka)"
  fi
  start_detached kafka "$dir" "$java" -Xms64m -Xmx384m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$dir/log4j2.xml" \
    -cp "$lib/*" kafka.Kafka "$dir/server.properties"
}

kafka_ready() { port_open "$(kafka_port)" && port_open "$(kafka_controller_port)"; }

# A controlled shutdown (SIGTERM) can take a while with a single node; give it time.
kafka_stop() { stop_component kafka 40; }
