# shellcheck shell=bash
# What the benchmarks (ops/bench/*) share: reading wrk's output, CPU accounting per process,
# the machine's load, and the verdict on a target.

# wrk's latency ("456.00us", "1.23ms", "1.02s") in milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }

# wrk_figures PREFIX FILE: the figures of one `wrk --latency` run as PREFIX.key=value lines:
# rate (req/s), requests, p50_ms, p90_ms, p99_ms, non2xx and socket_errors (both counted:
# a run with either is not a measurement of what it meant to measure).
wrk_figures() {
  local p=$1 f=$2
  echo "$p.rate=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")"
  echo "$p.requests=$(awk '/ requests in / {print $1}' "$f" | grep . || echo 0)"
  echo "$p.p50_ms=$(awk '$1=="50%" {print $2}' "$f" | to_ms)"
  echo "$p.p90_ms=$(awk '$1=="90%" {print $2}' "$f" | to_ms)"
  echo "$p.p99_ms=$(awk '$1=="99%" {print $2}' "$f" | to_ms)"
  echo "$p.non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f" | grep . || echo 0)"
  echo "$p.socket_errors=$(awk -F'Socket errors: ' '/Socket errors/ {print $2}' "$f" | grep . || echo none)"
}

# CPU pressure of the machine (PSI "some" avg60, %), or n/a.
psi() { sed -n 's/^some avg10=\([0-9.]*\) avg60=\([0-9.]*\).*/\2/p' /proc/pressure/cpu 2>/dev/null || echo n/a; }

# CPU time (user + system, in clock ticks) of the given processes, summed; 0 for one gone.
ticks() {
  local pid sum=0 t
  for pid in "$@"; do
    [[ -n $pid && -r /proc/$pid/stat ]] || continue
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || continue
    sum=$(( sum + ${t:-0} ))
  done
  echo "$sum"
}

# Clock ticks every CPU of the machine spent busy so far (user, nice, system, irq, softirq, steal).
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# children_cpu FILE: CPU seconds (user + system) of this shell's children waited for so far
# (wrk, after its run), into CHILDREN_CPU. `times` reports on the shell that runs it, so this
# is called as is, never in a $(...) subshell (whose children are not the shell's); FILE is scratch.
children_cpu() {
  times >"$1"
  CHILDREN_CPU=$(awk 'NR == 2 { s = 0; for (i = 1; i <= NF; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } print s }' "$1")
}

# One line on the machine the figures come from.
machine_line() {
  echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
}

# met CONDITION (awk syntax): MET or MISSED.
met() { awk "BEGIN { exit !($1) }" 2>/dev/null && echo "${GREEN}MET${RESET}" || echo "${RED}MISSED${RESET}"; }
