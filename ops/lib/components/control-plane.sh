# shellcheck shell=bash
# The control plane, `control-plane`: cells, shop placement and the audit log, from the
# runnable jar cell-provisioner/target/cell-provisioner.jar (`serve`; the same jar is the
# CLI), configured only by CELLSHOP_<KEY> environment variables. It needs ZooKeeper and,
# to create shops, the cells' MySQL; `up` starts it between the stores and the runtimes, so
# it registers the local cells (read from platform.json) before their instances announce
# themselves. Bound to this host's address (127.0.0.1 locally) and $CELLSHOP_CONTROL_PORT; ready when its /ready answers 200.
# Its API wants `Authorization: Bearer $(cat $CELLSHOP_STATE_DIR/secrets/platform-token)`.
# It reads each cell's MySQL password from secrets/cells/CELL/mysql-password (cell.secrets-dir).

control-plane_dir() { echo "$CELLSHOP_STATE_DIR/control-plane"; }

control-plane_launch() {
  local jar
  jar=$(service_jar cell-provisioner)
  (
    # Only the process sees the secrets (its environment is readable by its owner alone).
    export CELLSHOP_CONTROL_HOST CELLSHOP_CONTROL_PORT CELLSHOP_ZOOKEEPER_CONNECT CELLSHOP_PLATFORM_TOKEN \
      CELLSHOP_CELL_MYSQL_USER=cellshop CELLSHOP_CELL_SECRETS_DIR CELLSHOP_LOCAL_PLATFORM_JSON CELLSHOP_SIGNING_SECRET
    CELLSHOP_CONTROL_HOST=$(host_address)
    CELLSHOP_ZOOKEEPER_CONNECT=$(zookeeper_connect_for control-plane)   # its link's with CELLSHOP_FAULT_LINKS=1
    CELLSHOP_SIGNING_SECRET=$(signing_secret) # a move's cutover asks the source cell's instances, signed like a router
    CELLSHOP_PLATFORM_TOKEN=$(platform_token)
    # each cell's own MySQL password, read from secrets/cells/CELL/mysql-password when it connects to that cell
    CELLSHOP_CELL_SECRETS_DIR=$(secrets_dir)/cells
    CELLSHOP_LOCAL_PLATFORM_JSON=$CELLSHOP_STATE_DIR/platform.json
    start_detached control-plane "$(control-plane_dir)" "$JAVA_HOME/bin/java" -Xms32m -Xmx192m -XX:+UseSerialGC \
      -XX:+ExitOnOutOfMemoryError $(server_jvm_opts) -Djava.awt.headless=true \
      -Dcellshop.state="$CELLSHOP_STATE_DIR" -Dcellshop.component=control-plane $(zookeeper_client_opts) -jar "$jar" serve
  )
}

control-plane_ready() { curl -fsS --max-time 2 -o /dev/null "http://$(host_address):$CELLSHOP_CONTROL_PORT/ready"; }

# SIGTERM: it finishes the requests in flight (a shop creation completes or undoes itself).
control-plane_stop() { stop_component control-plane 20; }
