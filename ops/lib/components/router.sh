# shellcheck shell=bash
# The router, `router`: the routing tier in front of the cells, from the runnable jar
# router/target/router.jar, configured only by CELLSHOP_<KEY> environment variables. It
# needs nothing but ZooKeeper (its placement and instance views), so `up` starts it in the
# second wave with the runtimes; it signs what it proxies with the cells' signing secret.
# Bound to this host's address (127.0.0.1 locally) and $CELLSHOP_ROUTER_PORT; ready when its /ready answers 200 (its
# topology view is loaded). `down` stops it first, before the runtimes behind it.

router_dir() { echo "$CELLSHOP_STATE_DIR/router"; }

# The router's collector (the launcher's and ops/bench/router's). Its objects live for one
# request (milliseconds) or as long as a connection or the view (minutes); tenured after two
# young collections, the long-lived ones are not copied up to 15 times over. Measured with
# -Xlog:gc under ops/bench/router's load: the first young pauses under load went from 5-9 ms
# for ~15 collections to 2.5-4 ms for 3 (with the start-up collection of StartupHeap), then
# about 1 ms either way.
router_gc_opts() { echo "-XX:+UseSerialGC -XX:MaxTenuringThreshold=2"; }

router_launch() {
  local jar
  jar=$(service_jar router)
  (
    # Only the process sees the secret (its environment is readable by its owner alone).
    export CELLSHOP_ROUTER_HOST CELLSHOP_ROUTER_PORT CELLSHOP_ZOOKEEPER_CONNECT CELLSHOP_SIGNING_SECRET
    CELLSHOP_ROUTER_HOST=$(host_address)
    CELLSHOP_ZOOKEEPER_CONNECT=$(zookeeper_connect_for router)   # its link's with CELLSHOP_FAULT_LINKS=1
    CELLSHOP_SIGNING_SECRET=$(signing_secret)
    start_detached router "$(router_dir)" "$JAVA_HOME/bin/java" -Xms64m -Xmx256m $(router_gc_opts) -XX:+ExitOnOutOfMemoryError \
      $(server_jvm_opts) -Djava.awt.headless=true -Dcellshop.state="$CELLSHOP_STATE_DIR" -Dcellshop.component=router $(zookeeper_client_opts) \
      -jar "$jar"
  )
}

router_ready() { curl -fsS --max-time 2 -o /dev/null "http://$(host_address):$CELLSHOP_ROUTER_PORT/ready"; }

# SIGTERM: it leaves ZooKeeper and finishes the requests in flight, then exits.
router_stop() { stop_component router 20; }
