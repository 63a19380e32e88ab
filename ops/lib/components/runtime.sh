# shellcheck shell=bash
# A cell-runtime instance, `cell-a/runtime-1`: the commerce service of a cell, from the
# runnable jar cell-runtime/target/cell-runtime.jar, configured only by CELLSHOP_<KEY>
# environment variables. It needs its cell's MySQL, Redis and Memcached, ZooKeeper and
# Kafka, so `up` starts the runtimes in a second wave, once all of those are ready. It
# migrates the cell's schema at start (Flyway takes a lock: instances may start together),
# registers itself under /cellshop/cells/{cell}/instances and drains on SIGTERM.

runtime_cell() { echo "${1%%/*}"; }
runtime_number() { echo "${1##*/runtime-}"; }
runtime_port() { cell_port "$(runtime_cell "$1")" $(( 2 + $(runtime_number "$1") )); }

runtime_launch() {
  local name=$1 cell jar dir
  cell=$(runtime_cell "$name"); jar=$(service_jar cell-runtime)
  dir=$CELLSHOP_STATE_DIR/cells/$cell/$(file_name "${name#*/}")
  (
    # Only the process sees these (its environment is readable by its owner alone).
    export CELLSHOP_CELL_ID=$cell CELLSHOP_HTTP_HOST CELLSHOP_HTTP_PORT
    CELLSHOP_HTTP_HOST=$(host_address)
    CELLSHOP_HTTP_PORT=$(runtime_port "$name")
    export CELLSHOP_SIGNING_SECRET CELLSHOP_MYSQL_PASSWORD
    CELLSHOP_SIGNING_SECRET=$(signing_secret)
    CELLSHOP_MYSQL_PASSWORD=$(mysql_password "$cell")   # its own cell's, no other
    export CELLSHOP_MYSQL_HOST CELLSHOP_MYSQL_PORT CELLSHOP_MYSQL_USER=cellshop CELLSHOP_MYSQL_DATABASE=cellshop
    CELLSHOP_MYSQL_HOST=$(cell_address "$cell")
    CELLSHOP_MYSQL_PORT=$(store_port_for "$name" mysql)   # through its link with CELLSHOP_FAULT_LINKS=1 (link.sh)
    export CELLSHOP_REDIS_URL CELLSHOP_MEMCACHED_ADDRESS CELLSHOP_KAFKA_BOOTSTRAP CELLSHOP_ZOOKEEPER_CONNECT
    CELLSHOP_REDIS_URL=redis://$(cell_address "$cell"):$(store_port_for "$name" redis)
    CELLSHOP_MEMCACHED_ADDRESS=$(cell_address "$cell"):$(cell_port "$cell" 2)
    CELLSHOP_KAFKA_BOOTSTRAP=$(kafka_bootstrap)   # every node of the cluster
    CELLSHOP_ZOOKEEPER_CONNECT=$(zookeeper_connect_for "$name")   # the whole ensemble
    # A small, steady footprint (a laptop or a 2-core CI box runs several of these).
    start_detached "$name" "$dir" "$JAVA_HOME/bin/java" -Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      $(server_jvm_opts) -Djava.awt.headless=true -Dcellshop.state="$CELLSHOP_STATE_DIR" -Dcellshop.component="$name" $(zookeeper_client_opts) \
      -jar "$jar"
  )
}

# Ready: MySQL, Redis, the placement view and the worker-id lease (its /ready says 200).
runtime_ready() { curl -fsS --max-time 2 -o /dev/null "http://$(host_address):$(runtime_port "$1")/ready"; }

# SIGTERM: it leaves ZooKeeper, finishes in-flight requests and the outbox relay, then exits.
runtime_stop() { stop_component "$1" 30; }
