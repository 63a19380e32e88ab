# shellcheck shell=bash
# Installs the Debian packages the platform needs, once, when a command is missing.
# The packages' own system services are never used: every server runs under our state dir.

declare -A CELLSHOP_PACKAGE_OF=(
  [mariadbd]=mariadb-server [mariadb-install-db]=mariadb-server [mariadb-admin]=mariadb-client
  [mariadb]=mariadb-client [redis-server]=redis-server [redis-cli]=redis-tools
  [memcached]=memcached [mvn]=maven [ss]=iproute2 [setsid]=util-linux [flock]=util-linux [curl]=curl
)

ensure_packages() {
  local cmd pairs=()
  for cmd in "${!CELLSHOP_PACKAGE_OF[@]}"; do pairs+=("$cmd=${CELLSHOP_PACKAGE_OF[$cmd]}"); done
  ensure_commands "${pairs[@]}"
}

# ensure_commands COMMAND=PACKAGE... : installs the packages of the commands that are missing
# (also for tools beyond the platform's own, e.g. ops/bench/router's wrk=wrk nginx=nginx).
ensure_commands() {
  local missing=() pair cmd
  for pair in "$@"; do
    cmd=${pair%%=*}
    command -v "$cmd" >/dev/null 2>&1 || command -v "/usr/sbin/$cmd" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  (( ${#missing[@]} )) || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  local sudo=
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || die "missing packages ${missing[*]}: run as root or install them: apt-get install -y ${missing[*]}"
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get here: install them with your package manager"
  step "installing ${missing[*]} (apt-get; their system services are not started or used)"
  local log=${CELLSHOP_LOG_DIR:-/tmp}/apt.log
  # policy-rc.d 101 keeps Debian from starting the packages' services during install.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=1
  fi
  if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    [[ -n $created_policy ]] && $sudo rm -f "$policy"
    tail -n 20 "$log" >&2
    die "installing ${missing[*]} failed; the whole apt output is in $log"
  fi
  [[ -n $created_policy ]] && $sudo rm -f "$policy"
  ok "installed ${missing[*]}"
}
