# shellcheck shell=bash
# The local platform as a whole: which components it has, and up / down / status.

for f in "$(dirname "${BASH_SOURCE[0]}")"/components/*.sh; do source "$f"; done

# Start order; `down` goes the other way.
platform_components() {
  echo zookeeper
  echo kafka
  local cell
  for cell in $CELLSHOP_CELLS; do echo "$cell/mysql" "$cell/redis" "$cell/memcached"; done | tr ' ' '\n'
}

component_kind() { case $1 in */*) echo "${1#*/}" ;; *) echo "$1" ;; esac; }

component_port() {
  case $1 in
    zookeeper) zookeeper_port ;;
    kafka) kafka_port ;;
    */mysql) cell_port "${1%%/*}" 0 ;;
    */redis) cell_port "${1%%/*}" 1 ;;
    */memcached) cell_port "${1%%/*}" 2 ;;
    *) die "unknown component $1" ;;
  esac
}

component_up() { component_pid "$1" >/dev/null && port_open "$(component_port "$1")"; }

# The jars of a JVM server of the platform (kafka, zookeeper), fetched by Maven once.
platform_lib() {
  local which=$1 pom=$CELLSHOP_REPO/ops/platform/$1/pom.xml
  local lib=$CELLSHOP_REPO/ops/platform/target/$which
  if [[ ! -f $lib/.complete || $pom -nt $lib/.complete || $CELLSHOP_REPO/pom.xml -nt $lib/.complete ]]; then
    rm -rf "$lib"; mkdir -p "$lib"
    mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib" \
      >"$CELLSHOP_LOG_DIR/fetch-$which.log" 2>&1 \
      || die "fetching the $which jars with Maven failed. Its log: $CELLSHOP_LOG_DIR/fetch-$which.log"
    touch "$lib/.complete"
  fi
  echo "$lib"
}

platform_up() {
  local started=() name t0=$SECONDS
  ensure_packages
  find_jdk
  save_settings
  # Both jar sets are fetched before anything starts, so a Maven failure leaves no half platform.
  platform_lib zookeeper >/dev/null; platform_lib kafka >/dev/null
  for name in $(platform_components); do
    component_up "$name" && continue
    if component_pid "$name" >/dev/null; then
      started+=("$name")   # running but not yet listening: just wait for it below
      continue
    fi
    require_port_free "$name" "$(component_port "$name")"
    [[ $(component_kind "$name") == kafka ]] && require_port_free "kafka controller" "$(kafka_controller_port)"
  done
  for name in $(platform_components); do
    component_pid "$name" >/dev/null && continue
    "$(component_kind "$name")_launch" "$name"
    started+=("$name")
  done
  # Everything starts at once; the waits overlap (Kafka is the slowest, about 12 s).
  for name in "${started[@]}"; do
    wait_ready "$name" "$CELLSHOP_START_TIMEOUT" "$(component_kind "$name")_ready" "$name"
  done
  for name in $(platform_components); do
    if declare -F "$(component_kind "$name")_after_ready" >/dev/null; then "$(component_kind "$name")_after_ready" "$name"; fi
  done
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
  say "Try:  ops/cellshop status   |   mariadb -h127.0.0.1 -P$(cell_port "$(first_cell)" 0) -ucellshop -p\$(cat $CELLSHOP_STATE_DIR/secrets/mysql-password) cellshop   |   ops/cellshop down"
}

first_cell() { set -- $CELLSHOP_CELLS; echo "$1"; }

# Every component stops at once (none needs another to shut down cleanly: Kafka runs
# KRaft, not ZooKeeper), so `down` takes as long as the slowest, not the sum.
platform_down() {
  local name pid stopping=()
  for name in $(platform_components); do
    pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; continue; }
    ( "$(component_kind "$name")_stop" "$name"; ok "stopped $name (pid $pid)" ) &
    stopping+=($!)
  done
  (( ${#stopping[@]} )) && wait "${stopping[@]}"
  ok "platform down (data kept in $CELLSHOP_STATE_DIR)"
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

platform_status_table() {
  local name pid state
  printf '  %-22s %-8s %-7s %s\n' COMPONENT PID PORT STATE
  for name in $(platform_components); do
    pid=$(component_pid "$name") || pid=-
    if component_up "$name"; then state=${GREEN}up${RESET}; else state=${RED}down${RESET}; fi
    printf '  %-22s %-8s %-7s %s\n' "$name" "$pid" "$(component_port "$name")" "$state"
  done
}

platform_status_json() {
  local name pid up sep=
  printf '{"stateDir": "%s", "components": [' "$CELLSHOP_STATE_DIR"
  for name in $(platform_components); do
    pid=$(component_pid "$name") || pid=null
    if component_up "$name"; then up=true; else up=false; fi
    printf '%s\n  {"name": "%s", "pid": %s, "port": %s, "up": %s}' "$sep" "$name" "$pid" "$(component_port "$name")" "$up"
    sep=,
  done
  printf '\n]}\n'
}

# Every endpoint a client of the platform needs, in one file (read by the test harness).
write_platform_json() {
  local cell sep= f=$CELLSHOP_STATE_DIR/platform.json
  {
    printf '{\n  "zookeeper": "127.0.0.1:%s",\n  "kafka": "127.0.0.1:%s",\n' "$(zookeeper_port)" "$(kafka_port)"
    printf '  "router": "127.0.0.1:%s",\n  "controlPlane": "127.0.0.1:%s",\n  "cells": [' "$CELLSHOP_ROUTER_PORT" "$CELLSHOP_CONTROL_PORT"
    for cell in $CELLSHOP_CELLS; do
      printf '%s\n    {"cellId": "%s", "mysql": {"host": "127.0.0.1", "port": %s, "user": "cellshop", "password": "%s", "database": "cellshop", "socket": "%s"},\n     "redis": "redis://127.0.0.1:%s", "memcached": "127.0.0.1:%s"}' \
        "$sep" "$cell" "$(cell_port "$cell" 0)" "$(mysql_password)" "$(mysql_socket "$cell/mysql")" "$(cell_port "$cell" 1)" "$(cell_port "$cell" 2)"
      sep=,
    done
    printf '\n  ]\n}\n'
  } > "$f.tmp"
  chmod 600 "$f.tmp"
  mv "$f.tmp" "$f"
}
