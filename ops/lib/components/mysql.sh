# shellcheck shell=bash
# A cell's MySQL shard: a private MariaDB with its own datadir, port and socket; binlog
# on in ROW format with the full row image and GTIDs (the shop mover tails it), and a
# distinct server_id per cell. Commits are durable: the redo log and the binlog are both
# flushed to disk at every commit (innodb_flush_log_at_trx_commit=1, sync_binlog=1; MariaDB's
# default sync_binlog=0 would let a crash lose committed orders that the binlog, and so a
# shop move, never saw).

mysql_dir() { echo "$CELLSHOP_STATE_DIR/cells/${1%%/*}/mysql"; }
mysql_socket() { echo "$(mysql_dir "$1")/mysqld.sock"; }
mysql_root() { mariadb --no-defaults --socket="$(mysql_socket "$1")" -uroot "${@:2}"; }

# The cell's own password for its application user, in secrets/cells/CELL/mysql-password
# (0600, made once per state directory and cell): it opens this cell's MariaDB and no other.
# Its runtimes get it, and the control plane reads it from the file (cell.secrets-dir).
mysql_password() { state_secret "cells/${1%%/*}/mysql-password"; }

mysql_launch() {
  local name=$1 cell=${1%%/*} dir run_as=()
  dir=$(mysql_dir "$name")
  (( EUID == 0 )) && run_as=(--user=root)
  # A tmpdir of its own: a starting server deletes every '#sql*' file in its tmpdir (stale temporary
  # tables), so two cells' servers sharing /tmp delete each other's (seen: cell-b's datadir failed to
  # initialise while cell-a's started, "Unknown table 'mysql.tmp_user_sys'").
  mkdir -p "$dir/tmp"
  if [[ ! -d $dir/data/mysql ]]; then
    mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" "${run_as[@]}" \
      --auth-root-authentication-method=normal --skip-test-db >>"$(log_file "$name")" 2>&1 \
      || die "initialising the datadir of $name failed. Its log: $(log_file "$name")"
  fi
  start_detached "$name" "$dir" "$(command -v mariadbd)" --no-defaults "${run_as[@]}" \
    --datadir="$dir/data" --tmpdir="$dir/tmp" --port="$(cell_port "$cell" 0)" --bind-address="$(host_address)" \
    --socket="$(mysql_socket "$name")" --pid-file="$dir/mariadbd.pid" --log-error="$(log_file "$name")" \
    --server-id=$(( 100 + $(cell_index "$cell") )) --log-bin="$dir/data/binlog" --binlog-format=ROW \
    --binlog-row-image=FULL --sync-binlog=1 --innodb-flush-log-at-trx-commit=1 --log-slave-updates --gtid-strict-mode=ON --gtid-domain-id=0 \
    --expire-logs-days=3 --skip-name-resolve --default-time-zone=+00:00 --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci --max-connections=400 --performance-schema=OFF \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=48M --key-buffer-size=8M \
    --table-open-cache=400 --thread-cache-size=16
}

mysql_ready() { mysql_root "$1" -e 'SELECT 1'; }

# The application user `cellshop` (TCP, the cell's own password), the shard's database and a
# scratch one; idempotent. ALTER USER sets the password of a user an older launcher made with
# the one password every cell shared (secrets/mysql-password, removed once no cell uses it).
mysql_after_ready() {
  local pw
  pw=$(mysql_password "$1")
  mysql_root "$1" <<SQL || die "creating the cellshop user on $1 failed. Its log: $(log_file "$1")"
CREATE DATABASE IF NOT EXISTS cellshop CHARACTER SET utf8mb4;
-- For probes and experiments, so they never leave tables in the shard's own schema.
CREATE DATABASE IF NOT EXISTS scratch CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'cellshop'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'cellshop'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'cellshop'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER 'cellshop'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO 'cellshop'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'cellshop'@'localhost';
$(mysql_remote_user "$pw")
SQL
  rm -f "$(secrets_dir)/mysql-password"
}

# On a host of an inventory, the runtimes and the control planes on other hosts connect too:
# the user from any address (the cell's own password still opens this cell's MariaDB alone).
mysql_remote_user() { # password
  [[ -n ${CELLSHOP_HOST_ADDRESS:-} ]] || return 0
  printf "CREATE USER IF NOT EXISTS 'cellshop'@'%%' IDENTIFIED BY '%s';\nALTER USER 'cellshop'@'%%' IDENTIFIED BY '%s';\nGRANT ALL PRIVILEGES ON *.* TO 'cellshop'@'%%';\n" "$1" "$1"
}

# A clean shutdown through the server itself (never kill -9 a database).
mysql_stop() {
  local name=$1 pid
  pid=$(component_pid "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  mariadb-admin --no-defaults --socket="$(mysql_socket "$name")" -uroot shutdown >/dev/null 2>&1 \
    || kill -TERM "$pid" 2>/dev/null || true
  wait_exit "$name" "$pid" 60
}
