# shellcheck shell=bash
# Finds a JDK 21+: JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
# The default `java` of Debian 12 is 17, which cellshop does not run on.

jdk_major() { # java binary -> major version, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  local candidate major best= best_major=0
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/javac ]]; then
    major=$(jdk_major "$JAVA_HOME/bin/java")
    if [[ -n $major ]] && (( major >= 21 )); then export JAVA_HOME JDK_MAJOR=$major; export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [[ -x $candidate/bin/javac ]] || continue
    major=$(jdk_major "$candidate/bin/java")
    [[ -n $major ]] && (( major > best_major )) && { best=$candidate; best_major=$major; }
  done
  if [[ -z $best || $best_major -lt 21 ]]; then
    die "cellshop needs a JDK 21 or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}; newest in /usr/lib/jvm: ${best:-none} ${best_major/#0/}).
Install one, then run this again:
  Debian 13 / Ubuntu 24.04:  sudo apt-get install -y openjdk-21-jdk-headless
  Debian 12:                 a Temurin 21+ JDK from https://adoptium.net/installation/linux/ (apt package temurin-21-jdk)
or point JAVA_HOME at an existing JDK 21+."
  fi
  export JAVA_HOME=$best JDK_MAJOR=$best_major
  export PATH="$JAVA_HOME/bin:$PATH"
}

# JVM flags of every Java server of the platform (router, cell-runtime, control plane, bench
# servers), after find_jdk. Netty reads and writes its buffers through sun.misc.Unsafe when it
# may; from JDK 24 on, that use must be allowed explicitly, or Netty falls back to slower
# paths (the router's CPU per proxied request went from ~19.5 to ~16.4 us with it allowed,
# ops/bench/router, issue 5). JDK 21 and 22 know no such flag and allow it anyway.
server_jvm_opts() {
  echo "--enable-native-access=ALL-UNNAMED"
  (( ${JDK_MAJOR:-$(jdk_major "$JAVA_HOME/bin/java")} >= 23 )) && echo "--sun-misc-unsafe-memory-access=allow"
  return 0
}
