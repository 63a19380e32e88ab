# shellcheck shell=bash
# The local platform as a whole: which components it has, and up / down / status.

for f in "$(dirname "${BASH_SOURCE[0]}")"/components/*.sh; do source "$f"; done

# Every component, in start order: the stores first, then the services that use them.
platform_components() {
  platform_stores
  platform_links
  platform_control
  platform_runtimes
  platform_routers
}

# The first wave of `up`: servers that need nothing but themselves.
platform_stores() {
  echo zookeeper
  echo kafka
  local cell
  for cell in $(platform_cells); do cell_stores "$cell"; done
}

# The second wave: cell-runtime instances, started once every store is ready.
platform_runtimes() {
  local cell
  for cell in $(platform_cells); do cell_runtimes "$cell"; done
}

cell_stores() { printf '%s\n' "$1/mysql" "$1/redis" "$1/memcached"; }
cell_links() {
  local runtime
  for runtime in $(cell_runtimes "$1"); do client_links "$runtime"; done
}
cell_runtimes() {
  local n
  for (( n = 1; n <= CELLSHOP_RUNTIMES_PER_CELL; n++ )); do echo "$1/runtime-$n"; done
}

# Also in the second wave: the router, which needs only ZooKeeper.
platform_routers() { echo router; }

# With CELLSHOP_FAULT_LINKS=1, the fault proxy on each link from a client to a store
# (components/link.sh); started with the stores, stopped after the clients.
platform_links() {
  local client
  for client in $(platform_control) $(platform_runtimes) $(platform_routers); do client_links "$client"; done
}

# Between the two waves: the control plane, which needs ZooKeeper and registers the cells
# (from platform.json) before any runtime announces its instances under them.
platform_control() { echo control-plane; }

component_kind() { case $1 in links/*) echo link ;; */runtime-*) echo runtime ;; */*) echo "${1#*/}" ;; *) echo "$1" ;; esac; }

component_port() {
  case $1 in
    links/*) link_port "$1" ;;
    zookeeper) zookeeper_port ;;
    kafka) kafka_port ;;
    */mysql) cell_port "${1%%/*}" 0 ;;
    */redis) cell_port "${1%%/*}" 1 ;;
    */memcached) cell_port "${1%%/*}" 2 ;;
    */runtime-[1-9]) runtime_port "$1" ;;
    router) echo "$CELLSHOP_ROUTER_PORT" ;;
    control-plane) echo "$CELLSHOP_CONTROL_PORT" ;;
    *) die "unknown component $1" ;;
  esac
}

component_up() { component_pid "$1" >/dev/null && port_open "$(component_port "$1")"; }

# The jars of a JVM server of the platform (kafka, zookeeper), fetched by Maven once.
platform_lib() {
  local which=$1 pom=$CELLSHOP_REPO/ops/platform/$1/pom.xml
  local lib=$CELLSHOP_REPO/ops/platform/target/$which
  platform_lib_stale "$lib" "$pom" || { echo "$lib"; return 0; }
  mkdir -p "$(dirname "$lib")"
  # Under a lock: the hosts of a simulated inventory start at once from one checkout.
  (
    flock 9
    if platform_lib_stale "$lib" "$pom"; then
      rm -rf "$lib"; mkdir -p "$lib"
      mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib" \
        >"$CELLSHOP_LOG_DIR/fetch-$which.log" 2>&1 \
        || die "fetching the $which jars with Maven failed. Its log: $CELLSHOP_LOG_DIR/fetch-$which.log"
      touch "$lib/.complete"
    fi
  ) 9>"$lib.lock" || exit 1
  echo "$lib"
}

platform_lib_stale() { # lib pom
  [[ ! -f $1/.complete || $2 -nt $1/.complete || $CELLSHOP_REPO/pom.xml -nt $1/.complete ]]
}

# The runnable jars (cell-runtime, router, cell-provisioner), built by Maven when one is
# missing or older than a source or pom of the checkout. `up --no-build` skips this.
platform_jars() {
  local m
  for m in cell-runtime router cell-provisioner; do
    [[ -f $CELLSHOP_REPO/$m/pom.xml ]] && echo "$CELLSHOP_REPO/$m/target/$m.jar"
  done
  if links_on; then echo "$CELLSHOP_REPO/platform-testkit/target/platform-testkit.jar"; fi
  return 0
}

# The jar a service of the platform runs (cell-runtime, router): a copy in lib/ of the
# state directory, replaced (new file, then rename) only when the build made a newer one.
# A running JVM keeps reading its own copy, so a `mvn package` rewriting target/*.jar
# never pulls a jar from under it.
service_jar() { # module
  local built=$CELLSHOP_REPO/$1/target/$1.jar copy=$CELLSHOP_STATE_DIR/lib/$1.jar
  [[ -f $built ]] || die "missing $built: build it with 'mvn -B -DskipTests package' (or run 'ops/cellshop up' without --no-build)"
  if [[ ! -f $copy || $built -nt $copy ]]; then
    mkdir -p "$(dirname "$copy")"
    cp -p "$built" "$copy.tmp" && mv -f "$copy.tmp" "$copy"
  fi
  echo "$copy"
}

# JVM flags of every ZooKeeper client of the platform (router, control plane, cell-runtime).
# A client refuses an answer over jute.maxbuffer, 1 MB by default, and a getChildren of
# /cellshop/shops (every view's first read) answers ~22 bytes per shop: 2.2 MB at 100,000
# shops (ops/bench/placement). 16 MB holds about 750,000 shops in one flat listing.
zookeeper_client_opts() { echo "-Djute.maxbuffer=16777216"; }

# A random 48-character secret in secrets/NAME (NAME may be a path: cells/cell-a/mysql-password),
# made once per state directory. Private from its first byte: the directories are made 0700 and
# the file 0600 under umask 077, and it appears under its name only once whole (rename); nothing
# is chmod-ed after writing, which would leave a window where others may read it.
# With hosts sharing a secrets directory (an inventory's), two hosts starting at once could each
# make one: the first whole file to get the name wins (ln refuses to replace), and both read it.
state_secret() { # name
  local f
  f=$(secrets_dir)/$1
  if [[ ! -s $f ]]; then
    write_private "$f.$$" random_secret
    ln "$f.$$" "$f" 2>/dev/null || [[ -s $f ]] || mv -f "$f.$$" "$f"
    rm -f "$f.$$"
  fi
  cat "$f"
}

random_secret() { head -c 96 /dev/urandom | base64 -w 0 | tr -d '/+=' | cut -c 1-48 | tr -d '\n'; }

# Writes what COMMAND prints to FILE, private from its first byte: under umask 077 (directories
# 0700, the file 0600) into FILE.tmp, renamed once whole. A leftover .tmp is removed first, since
# writing into an existing file would keep its mode.
write_private() { # file command...
  local f=$1; shift
  (umask 077 && mkdir -p "$(dirname "$f")" && rm -f "$f.tmp" && "$@" > "$f.tmp" && mv -f "$f.tmp" "$f") || die "cannot write $f"
}

# The HMAC secret routers sign requests with and cells check.
signing_secret() { state_secret signing-secret; }

# The bearer token of the control plane's API (the CLI reads it from here or CELLSHOP_PLATFORM_TOKEN).
platform_token() { state_secret platform-token; }

platform_build_needed() {
  local jar oldest=
  for jar in $(platform_jars); do
    [[ -f $jar ]] || return 0
    [[ -z $oldest || $oldest -nt $jar ]] && oldest=$jar
  done
  [[ -n $oldest ]] || return 1
  # Any main source, resource or pom newer than the oldest jar (tests do not go into the jars).
  [[ -n $(find "$CELLSHOP_REPO"/*/src/main "$CELLSHOP_REPO"/pom.xml "$CELLSHOP_REPO"/*/pom.xml \
            -newer "$oldest" -type f -print -quit 2>/dev/null) ]]
}

platform_build() {
  platform_build_needed || return 0
  local log=$CELLSHOP_LOG_DIR/build.log t0=$SECONDS
  step "building cellshop (first time takes a minute)"
  if ! (cd "$CELLSHOP_REPO" && mvn -B -q -DskipTests package) >"$log" 2>&1; then
    printf '%s\n' "--- last lines of $log:" >&2; tail -n 25 "$log" >&2
    die "building cellshop with Maven failed. Its log: $log"
  fi
  ok "built $(platform_jars | sed "s|^$CELLSHOP_REPO/||" | tr '\n' ' ')in $(( SECONDS - t0 ))s"
}

# Launches what is not running among the given components and waits until each is ready
# (the waits overlap: everything of a wave starts at once); then their after_ready steps.
# Adds what it started to the caller's `started` array.
platform_wave() {
  local name wave=()
  for name in "$@"; do
    if component_pid "$name" >/dev/null; then
      component_up "$name" || wave+=("$name")   # running but not yet listening: just wait for it
      continue
    fi
    "$(component_kind "$name")_launch" "$name"
    wave+=("$name")
  done
  for name in "${wave[@]}"; do
    wait_ready "$name" "$CELLSHOP_START_TIMEOUT" "$(component_kind "$name")_ready" "$name"
  done
  for name in "$@"; do
    if declare -F "$(component_kind "$name")_after_ready" >/dev/null; then "$(component_kind "$name")_after_ready" "$name"; fi
  done
  started+=("${wave[@]}")
}

platform_up() { # [--no-build]
  local started=() name t0=$SECONDS build=1
  [[ ${1:-} == --no-build ]] && build=
  ensure_packages
  find_jdk
  save_settings
  # The jars are fetched and built before anything starts, so a Maven failure leaves no half platform.
  platform_lib zookeeper >/dev/null; platform_lib kafka >/dev/null
  if [[ -n $build ]]; then platform_build; fi
  if [[ -n $(platform_runtimes) ]]; then service_jar cell-runtime >/dev/null; fi
  service_jar router >/dev/null
  service_jar cell-provisioner >/dev/null
  if links_on; then service_jar platform-testkit >/dev/null; fi
  # Every port is checked before anything starts.
  for name in $(platform_components); do
    component_pid "$name" >/dev/null && continue
    require_port_free "$name" "$(component_port "$name")"
    [[ $(component_kind "$name") == kafka ]] && require_port_free "kafka controller" "$(kafka_controller_port)"
  done
  # Two waves: the stores (Kafka is the slowest, about 12 s), then the runtimes that use
  # them and the router (it needs only ZooKeeper, so it is ready long before the runtimes).
  platform_wave $(platform_stores) $(platform_links)
  write_platform_json   # the control plane reads the cells' endpoints from it
  platform_wave $(platform_control)
  platform_wave $(platform_runtimes) $(platform_routers)
  write_platform_json
  if (( ${#started[@]} )); then
    ok "started ${started[*]} in $(( SECONDS - t0 ))s"
  else
    ok "already up: nothing to start"
  fi
  platform_status_table
  say ""
  say "State, data and logs: $CELLSHOP_STATE_DIR (logs in $CELLSHOP_LOG_DIR)"
  say "Endpoints for tools and tests: $CELLSHOP_STATE_DIR/platform.json"
  say "Try:  ops/cellshop status   |   mariadb -h127.0.0.1 -P$(cell_port "$(first_cell)" 0) -ucellshop -p\$(cat $CELLSHOP_STATE_DIR/secrets/cells/$(first_cell)/mysql-password) cellshop   |   ops/cellshop down"
  if [[ -n $(platform_runtimes) ]]; then
    say "      curl http://127.0.0.1:$(cell_port "$(first_cell)" 3)/ready   (cell-runtime $(first_cell)/runtime-1)"
  fi
  say "      curl http://127.0.0.1:$CELLSHOP_ROUTER_PORT/ready   (the router)"
  say "      ops/cellshop cell list   |   ops/cellshop shop create --name Demo --domain demo.example   (the control plane)"
}

first_cell() { platform_cells | head -n 1; }

# `down` in three waves, the reverse of `up`: first the router and the control plane (no new
# traffic or shops reach the cells), then every cell-runtime (they use the stores while they drain), then the rest at
# once (none needs another to shut down cleanly: Kafka runs KRaft, not ZooKeeper), so
# `down` takes as long as the slowest of each wave.
platform_down() {
  platform_stop_all $(platform_routers) $(platform_control)
  platform_stop_all $(platform_runtimes; running_runtimes)
  platform_stop_all $(platform_stores) $(platform_links)
  ok "platform down (data kept in $CELLSHOP_STATE_DIR)"
}

# Runtimes with a pid file, also those beyond today's CELLSHOP_RUNTIMES_PER_CELL.
running_runtimes() {
  local f base
  for f in "$CELLSHOP_PID_DIR"/*_runtime-*.pid; do
    [[ -f $f ]] || continue
    base=$(basename "$f" .pid)
    [[ $base == links_* ]] && continue
    echo "${base/_//}"
  done
}

platform_stop_all() {
  local name pid stopping=() seen=" "
  for name in "$@"; do
    [[ $seen == *" $name "* ]] && continue
    seen+="$name "
    pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; continue; }
    ( "$(component_kind "$name")_stop" "$name"; ok "stopped $name (pid $pid)" ) &
    stopping+=($!)
  done
  (( ${#stopping[@]} )) && wait "${stopping[@]}"
  return 0
}

# One component, by name, for fault injection: `ops/cellshop stop kafka`, then `start kafka`.
require_component() {
  local names
  names=$(platform_components | tr '\n' ' ')   # no `| grep -q`: pipefail would see its SIGPIPE
  [[ " $names" == *" $1 "* ]] && return 0
  die "unknown component '${1}'; the components of this platform are: ${names% }"
}

component_stop() {
  local name=$1 pid
  require_component "$name"
  pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; ok "$name was not running"; return 0; }
  "$(component_kind "$name")_stop" "$name"
  ok "stopped $name (pid $pid)"
}

component_start() {
  local name=$1 kind
  require_component "$name"
  kind=$(component_kind "$name")
  component_up "$name" && { ok "$name is already up"; return 0; }
  # A process that is alive but not yet listening is waited for, not started twice.
  if ! component_pid "$name" >/dev/null; then
    require_port_free "$name" "$(component_port "$name")"
    [[ $kind == kafka ]] && require_port_free "kafka controller" "$(kafka_controller_port)"
    find_jdk
    "${kind}_launch" "$name"
  fi
  wait_ready "$name" "$CELLSHOP_START_TIMEOUT" "${kind}_ready" "$name"
  if declare -F "${kind}_after_ready" >/dev/null; then "${kind}_after_ready" "$name"; fi
  ok "started $name (pid $(component_pid "$name"))"
}

platform_status_table() { # [component...] (default: every component of the platform)
  local name pid state w=22
  (( $# )) || set -- $(platform_components)
  if links_on; then w=34; fi
  printf "  %-${w}s %-8s %-7s %s\n" COMPONENT PID PORT STATE
  for name in "$@"; do
    pid=$(component_pid "$name") || pid=-
    if component_up "$name"; then state=${GREEN}up${RESET}; else state=${RED}down${RESET}; fi
    printf "  %-${w}s %-8s %-7s %s\n" "$name" "$pid" "$(component_port "$name")" "$state"
  done
}

platform_status_json() {
  printf '{"stateDir": "%s", "components": [' "$CELLSHOP_STATE_DIR"
  components_json $(platform_components)
  printf '\n]}\n'
}

# The components' rows of `status --json`: {"name", "pid", "port", "up"}, comma-separated.
components_json() { # component...
  local name pid up sep=
  for name in "$@"; do
    pid=$(component_pid "$name") || pid=null
    if component_up "$name"; then up=true; else up=false; fi
    printf '%s\n  {"name": "%s", "pid": %s, "port": %s, "up": %s}' "$sep" "$name" "$pid" "$(component_port "$name")" "$up"
    sep=,
  done
}

# Every endpoint a client of the platform needs, in one file (read by the test harness). It
# holds every secret of the platform, so it is written private from its first byte (write_private).
write_platform_json() {
  write_private "$CELLSHOP_STATE_DIR/platform.json" platform_json
}

platform_json() {
  local cell sep= name runtimes rsep address
  printf '{\n  "zookeeper": "%s",\n  "kafka": "%s",\n' "$(zookeeper_connect_for)" "$(kafka_bootstrap)"
  printf '  "router": "%s:%s",\n  "controlPlane": "%s:%s",\n' "$(router_address)" "$CELLSHOP_ROUTER_PORT" "$(control_address)" "$CELLSHOP_CONTROL_PORT"
  printf '  "signingSecret": "%s",\n  "platformToken": "%s",\n  "cells": [' "$(signing_secret)" "$(platform_token)"
  for cell in $(platform_cells); do
    runtimes= rsep= address=$(cell_address "$cell")
    for name in $(platform_runtimes); do
      [[ ${name%%/*} == "$cell" ]] || continue
      runtimes+="$rsep\"$address:$(component_port "$name")\""; rsep=", "
    done
    printf '%s\n    {"cellId": "%s", "mysql": {"host": "%s", "port": %s, "user": "cellshop", "password": "%s", "database": "cellshop", "socket": "%s"},\n     "redis": "redis://%s:%s", "memcached": "%s:%s", "runtimes": [%s]}' \
      "$sep" "$cell" "$address" "$(cell_port "$cell" 0)" "$(mysql_password "$cell")" "$(mysql_socket "$cell/mysql")" "$address" "$(cell_port "$cell" 1)" "$address" "$(cell_port "$cell" 2)" "$runtimes"
    sep=,
  done
  printf '\n  ]\n}\n'
}

# `cell-up NAME`: one more cell on a running platform (what the control plane's
# `cell create NAME` asks for): its MariaDB, Redis and Memcached, then its runtimes, on the
# ports of its position after every cell already there. It is listed in added-cells, so
# `status`, `down` and `up` include it from then on; platform.json gets its endpoints.
platform_cell_up() { # cell
  local cell=$1 started=() name
  valid_cell_name "$cell" || die "invalid cell name '$cell': lower-case letters, digits and '-' (at most 32, not ending in '-')"
  component_up zookeeper || die "the platform is not up (ZooKeeper is down): run 'ops/cellshop up' first"
  find_jdk >/dev/null
  if [[ " $(platform_cells | tr '\n' ' ')" != *" $cell "* ]]; then
    (( CELLSHOP_PORT_BASE + 310 + 10 * $(platform_cells | wc -l) <= 65535 )) || die "no ports left for another cell above $CELLSHOP_PORT_BASE"
    # The links' ports start at B+400, where an eleventh cell's would.
    ! links_on || (( $(platform_cells | wc -l) < 10 )) || die "no ports left for another cell with CELLSHOP_FAULT_LINKS=1 (ten at most)"
    echo "$cell" >> "$(added_cells_file)"
  fi
  for name in $(cell_stores "$cell") $(cell_links "$cell") $(cell_runtimes "$cell"); do
    component_pid "$name" >/dev/null && continue
    if port_open "$(component_port "$name")"; then
      local owner; owner=$(port_owner "$(component_port "$name")")
      forget_added_cell "$cell"
      die "cannot start $name: port 127.0.0.1:$(component_port "$name") is already in use${owner:+ by $owner}"
    fi
  done
  if [[ -n $(cell_runtimes "$cell") ]]; then service_jar cell-runtime >/dev/null; fi
  if links_on; then service_jar platform-testkit >/dev/null; fi
  platform_wave $(cell_stores "$cell") $(cell_links "$cell")
  write_platform_json
  platform_wave $(cell_runtimes "$cell")
  write_platform_json
  ok "cell $cell is up (${started[*]:-already running}); its endpoints are in $CELLSHOP_STATE_DIR/platform.json"
}

# `cell-down NAME`: stops a cell that `cell-up` added (runtimes first, then its stores) and
# takes it off the platform's list; its data stays in cells/NAME for a later `cell-up NAME`.
platform_cell_down() { # cell
  local cell=$1 name runtimes=()
  [[ " $CELLSHOP_CELLS " != *" $cell "* ]] || die "$cell is one of CELLSHOP_CELLS: 'ops/cellshop down' stops it with the platform"
  [[ " $(platform_cells | tr '\n' ' ')" == *" $cell "* ]] || die "unknown cell '$cell': the added cells are: $(cat "$(added_cells_file)" 2>/dev/null | tr '\n' ' ')"
  for name in $(cell_runtimes "$cell") $(running_runtimes); do
    [[ ${name%%/*} == "$cell" ]] && runtimes+=("$name")
  done
  platform_stop_all "${runtimes[@]}"
  platform_stop_all $(cell_stores "$cell") $(cell_links "$cell")
  forget_added_cell "$cell"
  write_platform_json
  ok "cell $cell is down and off the platform's list (data kept in $CELLSHOP_STATE_DIR/cells/$cell)"
}

forget_added_cell() { # cell
  local f
  f=$(added_cells_file)
  [[ -f $f ]] || return 0
  grep -vx -- "$1" "$f" > "$f.tmp" || true
  mv -f "$f.tmp" "$f"
}
