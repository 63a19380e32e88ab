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

# The HMAC secret routers sign requests with and cells check: made once per state directory.
signing_secret() {
  local f=$CELLSHOP_STATE_DIR/secrets/signing-secret
  if [[ ! -s $f ]]; then
    mkdir -p "$(dirname "$f")"; chmod 700 "$(dirname "$f")"
    (umask 077; head -c 96 /dev/urandom | base64 -w 0 | tr -d '/+=' | cut -c 1-48 | tr -d '\n' > "$f")
  fi
  cat "$f"
}

# The jar the instances run: a copy in the state directory, replaced (new file, then
# rename) only when the build made a newer one. A running JVM keeps reading its own copy,
# so a `mvn package` rewriting target/cell-runtime.jar never pulls a jar from under it.
runtime_jar() {
  local built=$CELLSHOP_REPO/cell-runtime/target/cell-runtime.jar copy=$CELLSHOP_STATE_DIR/lib/cell-runtime.jar
  [[ -f $built ]] || die "missing $built: build it with 'mvn -B -DskipTests package' (or run 'ops/cellshop up' without --no-build)"
  if [[ ! -f $copy || $built -nt $copy ]]; then
    mkdir -p "$(dirname "$copy")"
    cp -p "$built" "$copy.tmp" && mv -f "$copy.tmp" "$copy"
  fi
  echo "$copy"
}

runtime_launch() {
  local name=$1 cell jar dir
  cell=$(runtime_cell "$name"); jar=$(runtime_jar)
  dir=$CELLSHOP_STATE_DIR/cells/$cell/$(file_name "${name#*/}")
  (
    # Only the process sees these (its environment is readable by its owner alone).
    export CELLSHOP_CELL_ID=$cell CELLSHOP_HTTP_HOST=127.0.0.1 CELLSHOP_HTTP_PORT
    CELLSHOP_HTTP_PORT=$(runtime_port "$name")
    export CELLSHOP_SIGNING_SECRET CELLSHOP_MYSQL_PASSWORD
    CELLSHOP_SIGNING_SECRET=$(signing_secret)
    CELLSHOP_MYSQL_PASSWORD=$(mysql_password)
    export CELLSHOP_MYSQL_HOST=127.0.0.1 CELLSHOP_MYSQL_PORT CELLSHOP_MYSQL_USER=cellshop CELLSHOP_MYSQL_DATABASE=cellshop
    CELLSHOP_MYSQL_PORT=$(cell_port "$cell" 0)
    export CELLSHOP_REDIS_URL CELLSHOP_MEMCACHED_ADDRESS CELLSHOP_KAFKA_BOOTSTRAP CELLSHOP_ZOOKEEPER_CONNECT
    CELLSHOP_REDIS_URL=redis://127.0.0.1:$(cell_port "$cell" 1)
    CELLSHOP_MEMCACHED_ADDRESS=127.0.0.1:$(cell_port "$cell" 2)
    CELLSHOP_KAFKA_BOOTSTRAP=127.0.0.1:$(kafka_port)
    CELLSHOP_ZOOKEEPER_CONNECT=127.0.0.1:$(zookeeper_port)
    # A small, steady footprint (a laptop or a 2-core CI box runs several of these).
    start_detached "$name" "$dir" "$JAVA_HOME/bin/java" -Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -Dcellshop.state="$CELLSHOP_STATE_DIR" -Dcellshop.component="$name" \
      -jar "$jar"
  )
}

# Ready: MySQL, Redis, the placement view and the worker-id lease (its /ready says 200).
runtime_ready() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$(runtime_port "$1")/ready"; }

# SIGTERM: it leaves ZooKeeper, finishes in-flight requests and the outbox relay, then exits.
runtime_stop() { stop_component "$1" 30; }
