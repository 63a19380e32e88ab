# shellcheck shell=bash
# The inventory of a platform spread over hosts (ops/cluster/*.json): which host runs which
# roles, where the shared secrets live and which ports every host uses. One inventory
# describes a local simulation (addresses on 127/8) and a real deployment alike; `ops/cellshop
# host up --inventory FILE --host NAME` starts that host's roles (host.sh).
#
#   {
#     "name": "demo",                      platform name: [a-z0-9-]; the Kafka cluster id derives from it
#     "secrets": {"dir": "secrets"},       the secrets every host shares (signing secret, platform token,
#                                          cells' MySQL passwords; made once by the first host that needs
#                                          one); relative to the inventory file. On real hosts: the same
#                                          directory on each (a copy or a mount), mode 0700.
#     "ports": {"base": 13000, "router": 8080, "control": 8090},   optional; the layout of settings.sh
#                                          from the base, the same on every host (each has its own address)
#     "runtimesPerCell": 2,                optional (0..7), cell-runtime instances of each cell
#     "simulation": {"bridge": "cellshop0", "gateway": "10.213.0.1", "prefix": 24},
#                                          optional, for `ops/cellshop cluster` only (cluster.sh): the
#                                          bridge of the simulated network and the operator's address on it
#     "partial": false,                    optional; true: only part of a platform (e.g. the ZooKeeper and
#                                          Kafka tier alone, for a test), no router or control plane needed
#     "hosts": [
#       {"name": "zk-1", "address": "10.0.0.11", "roles": ["zookeeper", "kafka"]},
#       {"name": "cell-a", "address": "10.0.0.21", "roles": ["cell:cell-a"]},
#       {"name": "edge-1", "address": "10.0.0.31", "roles": ["router", "control-plane"]}
#     ]
#   }
#
# Roles: `zookeeper` (an ensemble member; 3 or 5 of them, or 1 for development), `kafka` (a
# KRaft node, broker and controller; 3 of them, or 1 for development), `cell:<id>` (that cell's
# MariaDB, Redis, Memcached and runtime instances, on one host), `router`, `control-plane`.
# ZooKeeper's myid and Kafka's node.id are a host's position among the hosts of that role.

inventory_known_keys='["name", "secrets", "ports", "runtimesPerCell", "partial", "simulation", "hosts"]'

# Every mistake of an inventory, one per line (nothing when it is valid).
inventory_errors() { # file
  jq -r --argjson known "$inventory_known_keys" '
    def names_ok: type == "string" and test("^[a-z][a-z0-9-]{0,31}$") and (endswith("-") | not);
    def ipv4: type == "string" and test("^([0-9]{1,3}\\.){3}[0-9]{1,3}$")
      and (split(".") | map(tonumber) | all(. <= 255));
    def role_ok: . == "zookeeper" or . == "kafka" or . == "router" or . == "control-plane"
      or (type == "string" and startswith("cell:") and (.[5:] | names_ok));
    def count(r): [.hosts[]? | select(type == "object") | .roles[]? | select(. == r)] | length;
    def dups(f): [.hosts[]? | select(type == "object") | f | select(. != null)] | group_by(.) | map(select(length > 1) | .[0]);
    if type != "object" then "the inventory must be a JSON object" else
    ( (keys - $known)[] | "unknown key \"\(.)\" (known: \($known | join(", ")))" ),
    ( if .name | names_ok then empty else "\"name\" must be lower-case letters, digits and - (got \(.name | tojson))" end ),
    ( if .secrets == null then empty
      elif (.secrets | type) == "object" and (.secrets.dir | type) == "string" and (.secrets | keys) == ["dir"] then empty
      else "\"secrets\" must be {\"dir\": \"DIRECTORY\"}" end ),
    ( if .ports == null then empty elif (.ports | type) != "object" then "\"ports\" must be an object" else
        (.ports | to_entries[] |
          if (.key | IN("base", "router", "control")) | not then "unknown port \"\(.key)\" in \"ports\" (known: base, router, control)"
          elif (.value | type) != "number" or .value != (.value | floor) or .value < 1024 or .value > 65000
          then "port \"\(.key)\" must be a whole number in 1024..65000 (got \(.value | tojson))" else empty end)
      end ),
    ( if .runtimesPerCell == null or (.runtimesPerCell | type == "number" and . >= 0 and . <= 7 and . == floor) then empty
      else "\"runtimesPerCell\" must be 0..7" end ),
    ( if .partial == null or (.partial | type) == "boolean" then empty else "\"partial\" must be true or false" end ),
    ( if .simulation == null then empty
      elif (.simulation | type) != "object" then "\"simulation\" must be an object"
      else (.simulation |
        ( (keys - ["bridge", "gateway", "prefix"])[] | "unknown key \"\(.)\" in \"simulation\" (known: bridge, gateway, prefix)" ),
        ( if .bridge == null or (.bridge | type == "string" and test("^[a-z][a-z0-9-]{0,14}$")) then empty
          else "\"simulation.bridge\" must be an interface name: a-z, 0-9, - (at most 15)" end ),
        ( if .gateway == null or (.gateway | ipv4) then empty else "\"simulation.gateway\" must be an IPv4 address" end ),
        ( if .prefix == null or (.prefix | type == "number" and . >= 8 and . <= 30 and . == floor) then empty
          else "\"simulation.prefix\" must be 8..30" end ))
      end ),
    ( if (.hosts | type) != "array" or (.hosts | length) == 0 then "\"hosts\" must be a non-empty list" else
      ( .hosts | to_entries[] | .key as $i | .value |
        if type != "object" then "host #\($i + 1) must be an object" else
        ( (keys - ["name", "address", "roles"])[] | "host #\($i + 1): unknown key \"\(.)\" (known: name, address, roles)" ),
        ( if .name | names_ok then empty else "host #\($i + 1): \"name\" must be lower-case letters, digits and - (got \(.name | tojson))" end ),
        ( (.name // "#\($i + 1)") as $h |
          ( if .address | ipv4 then empty else "host \($h): \"address\" must be an IPv4 address (got \(.address | tojson))" end ),
          ( if (.roles | type) != "array" or (.roles | length) == 0 then "host \($h): \"roles\" must be a non-empty list"
            else (.roles[] | select(role_ok | not) |
              "host \($h): unknown role \(tojson) (known: zookeeper, kafka, cell:<id>, router, control-plane)") end ),
          ( .roles? // [] | group_by(.) | map(select(length > 1) | .[0])[]? | "host \($h): role \(tojson) listed twice" ) )
        end ),
      ( dups(.name)[] | "duplicate host name \(tojson)" ),
      ( dups(.address)[] | "duplicate address \(tojson): every host needs its own" ),
      ( [.hosts[] | select(type == "object") | .roles[]? | select(type == "string" and startswith("cell:"))]
          | group_by(.) | map(select(length > 1) | .[0])[] | "role \(tojson) is on more than one host (a cell lives on one host)" ),
      ( count("zookeeper") as $n | if $n == 1 or $n == 3 or $n == 5 then empty
        else "\($n) zookeeper hosts: an ensemble has 3 or 5 (1 for development)" end ),
      ( count("kafka") as $n | if $n == 1 or $n == 3 then empty
        else "\($n) kafka hosts: a cluster has 3 KRaft nodes (1 for development)" end ),
      ( if .partial == true then empty else
          ( if count("router") > 0 then empty else "no host has the role \"router\" (\"partial\": true for an inventory of only part of a platform)" end ),
          ( if count("control-plane") > 0 then empty else "no host has the role \"control-plane\" (\"partial\": true for an inventory of only part of a platform)" end )
        end )
      end )
    end' "$1" 2>&1
}

# Reads and checks FILE; dies with every mistake it finds. Sets CELLSHOP_INVENTORY (absolute).
inventory_load() { # file
  local file=$1 errors
  ensure_commands jq=jq
  [[ -f $file ]] || die "no inventory at '$file'"
  CELLSHOP_INVENTORY=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
  jq empty "$file" 2>/dev/null || die "$file is not valid JSON: $(jq empty "$file" 2>&1 | head -n 1)"
  errors=$(inventory_errors "$file")
  [[ -z $errors ]] || die "invalid inventory $file:"$'\n'"$(sed 's/^/  - /' <<<"$errors")"
}

inventory_query() { jq -r "$@" "$CELLSHOP_INVENTORY"; } # jq-args...

inventory_name() { inventory_query .name; }
inventory_hosts() { inventory_query '.hosts[].name'; }
inventory_address() { inventory_query --arg h "$1" '.hosts[] | select(.name == $h) | .address'; } # host
inventory_roles() { inventory_query --arg h "$1" '.hosts[] | select(.name == $h) | .roles[]'; } # host
# The addresses of the hosts with ROLE, in inventory order (a member's position is its id).
inventory_role_addresses() { inventory_query --arg r "$1" '.hosts[] | select(.roles | index($r)) | .address'; } # role
# Every cell, in inventory order (their position fixes their ports and MariaDB server_id), as CELL=ADDRESS.
inventory_cells() { inventory_query '.hosts[] | .address as $a | .roles[] | select(startswith("cell:")) | "\(.[5:])=\($a)"'; }
inventory_secrets_dir() {
  local dir
  dir=$(inventory_query '.secrets.dir // empty')
  [[ -n $dir ]] || dir="secrets-$(inventory_name)"
  [[ $dir == /* ]] || dir=$(dirname "$CELLSHOP_INVENTORY")/$dir
  echo "$dir"
}

# The Kafka cluster id every node is formatted with: secrets/kafka-cluster-id when present,
# else derived from the platform's name (the same on every host, with nothing to hand around):
# the first 16 bytes of SHA-256("cellshop:" name), base64url without padding, as Kafka writes it;
# hashed again while it starts with '-' (as Kafka's own random ids never do: a command line
# would take it for an option).
inventory_kafka_cluster_id() {
  local f hex id seed
  f=$(inventory_secrets_dir)/kafka-cluster-id
  if [[ -s $f ]]; then tr -d '\n' < "$f"; return; fi
  seed="cellshop:$(inventory_name)"
  while :; do
    hex=$(printf '%s' "$seed" | sha256sum | cut -c 1-32)
    # shellcheck disable=SC2059
    id=$(printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64 -w 0 | tr '+/' '-_' | tr -d '=')
    [[ $id == -* ]] || break
    seed+="#"
  done
  echo "$id"
}
