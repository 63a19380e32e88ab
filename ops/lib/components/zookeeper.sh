# shellcheck shell=bash
# ZooKeeper: a real standalone server from the Maven `zookeeper` jar, in its own JVM
# (heap CELLSHOP_ZOOKEEPER_HEAP, default 128m: the local topology is small; ops/bench/placement raises it).
# maxSessionTimeout (default 20 ticks, 40 s) is raised to 10 minutes so the cell-runtimes'
# worker-id lease gets the long session it asks for (ids.lease-session-timeout, 180 s):
# checkouts go on through a ZooKeeper outage that long. Clients that ask for short sessions
# (instance and router registrations, 10 s) still get them.
# As a member of an ensemble (`host up` with CELLSHOP_ZOOKEEPER_MEMBERS, settings.sh): the
# server.N line of every member, its myid (its position among them), the quorum and election
# ports, and every port bound to this host's address; ready once it is the leader or a follower.

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
clientPortAddress=$(host_address)
$(zookeeper_ensemble_config "$dir")
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

# The ensemble's part of zoo.cfg (nothing for the local standalone server); writes the myid.
zookeeper_ensemble_config() { # dir
  local members a n=1
  members=$(zookeeper_members)
  [[ -n $members ]] || return 0
  # shellcheck disable=SC2086
  member_id $members > "$1/data/myid"
  echo "initLimit=10"
  echo "syncLimit=5"
  # Only the members' own addresses: a member listens for its peers on its address alone.
  echo "quorumListenOnAllIPs=false"
  for a in $members; do
    echo "server.$n=$a:$(zookeeper_quorum_port):$(zookeeper_election_port);$a:$(zookeeper_port)"
    n=$(( n + 1 ))
  done
}

# `srvr` reports a Mode only while the server really serves requests (`ruok` answers
# `imok` even when the server thread has died and the JVM lingers on); a member of an
# ensemble serves once it is the leader or a follower (a quorum is up).
zookeeper_ready() {
  [[ $(zookeeper_mode) == @(standalone|leader|follower) ]]
}

# What a server says it is now (`srvr`'s Mode: standalone, leader, follower), or nothing while it
# does not serve; by default this host's, also any member's (the host and cluster tests ask it).
zookeeper_mode() { # [address] [port]
  zookeeper_four_letters srvr "${1:-$(host_address)}" "${2:-$(zookeeper_port)}" 2>/dev/null | sed -n 's/^Mode: //p'
}

zookeeper_four_letters() { # word [address] [port]
  local reply
  exec 3<>"/dev/tcp/${2:-$(host_address)}/${3:-$(zookeeper_port)}" || return 1
  printf '%s' "$1" >&3
  reply=$(timeout 2 cat <&3 || true)
  exec 3>&-
  printf '%s\n' "$reply"
}

zookeeper_stop() { stop_component zookeeper 20; }
