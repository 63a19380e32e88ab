# shellcheck shell=bash
# ZooKeeper: a real standalone server from the Maven `zookeeper` jar, in its own JVM
# (heap CELLSHOP_ZOOKEEPER_HEAP, default 128m: the local topology is small; ops/bench/placement raises it).
# maxSessionTimeout (default 20 ticks, 40 s) is raised to 10 minutes so the cell-runtimes'
# worker-id lease gets the long session it asks for (ids.lease-session-timeout, 180 s):
# checkouts go on through a ZooKeeper outage that long. Clients that ask for short sessions
# (instance and router registrations, 10 s) still get them.

zookeeper_dir() { echo "$CELLSHOP_STATE_DIR/zookeeper"; }

zookeeper_launch() {
  local dir lib
  dir=$(zookeeper_dir); lib=$(platform_lib zookeeper)
  mkdir -p "$dir/data"
  cat > "$dir/zoo.cfg" <<CFG
tickTime=2000
maxSessionTimeout=600000
dataDir=$dir/data
clientPort=$(zookeeper_port)
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,mntr
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
CFG
  cat > "$dir/logback.xml" <<'CFG'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
CFG
  start_detached zookeeper "$dir" "$JAVA_HOME/bin/java" -Xms32m -Xmx"${CELLSHOP_ZOOKEEPER_HEAP:-128m}" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
    -Dlogback.configurationFile="$dir/logback.xml" -Dzookeeper.jmx.log4j.disable=true \
    -cp "$lib/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg"
}

# `srvr` reports a Mode only while the server really serves requests (`ruok` answers
# `imok` even when the server thread has died and the JVM lingers on).
zookeeper_ready() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$(zookeeper_port)" || return 1
  printf 'srvr' >&3
  reply=$(timeout 2 cat <&3 || true)
  exec 3>&-
  [[ $reply == *"Mode: standalone"* ]]
}

zookeeper_stop() { stop_component zookeeper 20; }
