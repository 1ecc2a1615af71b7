#!/usr/bin/env bash
# scripts/brokers.sh start|stop|status|restart
#
# Local message brokers for the integration tests, on loopback only:
#   RabbitMQ  127.0.0.1:5672  (Debian's rabbitmq-server, user guest/guest)
#   Kafka     127.0.0.1:9092  (single node, KRaft combined broker+controller; the
#                              controller listens on 127.0.0.1:9093)
#
# `start` installs what is missing (rabbitmq-server via apt-get; the Kafka jars from
# Maven Central into ${XDG_CACHE_HOME:-$HOME/.cache}/otel-instrument/kafka-<version>),
# starts both and waits until each answers a real client request. It is idempotent.
# Data and logs live in ${OTEL_BROKERS_STATE_DIR:-${TMPDIR:-/tmp}/otel-instrument-brokers};
# every fresh start begins with empty broker data.
#
# Kafka version: 4.4.0, the newest kafka_2.13 release Maven Central serves here. The
# client under test is kafkajs 2.2.4 (unmaintained since 2023). Kafka 4.0 removed old
# protocol versions (KIP-896), but kafkajs negotiates versions via ApiVersions and the
# highest version it knows of every API it uses is still accepted by 4.x (Produce v7,
# Fetch v11, Metadata v6, JoinGroup v5, OffsetCommit v5, InitProducerId v1, EndTxn v1,
# ...). Checked for real with kafkajs 2.2.4 against 3.9.1, 4.0.0, 4.0.2, 4.1.2, 4.2.1,
# 4.3.1 and 4.4.0 in this KRaft setup: produce with headers, consumer-group consume,
# transactional send/commit/abort/sendOffsets and the admin calls (create/delete topics,
# partitions, configs, offsets, groups) pass on all of them. One kafkajs behaviour is the
# same on all of them: consumer.subscribe() to a topic that does not exist yet fails with
# UNKNOWN_TOPIC_OR_PARTITION, so tests create their topic (admin or a first send) first.
#
# Environment overrides: OTEL_KAFKA_VERSION, OTEL_BROKERS_STATE_DIR,
# OTEL_BROKERS_START_TIMEOUT (seconds per broker, default 90), KAFKA_HEAP_OPTS.
set -euo pipefail

KAFKA_VERSION="${OTEL_KAFKA_VERSION:-4.4.0}"
KAFKA_ADDR=127.0.0.1:9092
AMQP_ADDR=127.0.0.1:5672
RABBIT_NODE=rabbit@localhost
START_TIMEOUT="${OTEL_BROKERS_START_TIMEOUT:-90}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_SRC="$SCRIPT_DIR/kafka"
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/otel-instrument/kafka-$KAFKA_VERSION"
STATE_DIR="${OTEL_BROKERS_STATE_DIR:-${TMPDIR:-/tmp}/otel-instrument-brokers}"
KAFKA_STATE="$STATE_DIR/kafka"
RABBIT_STATE="$STATE_DIR/rabbitmq"

log() { printf '[brokers] %s\n' "$*" >&2; }
die() { printf '[brokers] ERROR: %s\n' "$*" >&2; exit 1; }

now() { date +%s; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"; fi
}

apt_install() { # apt_install PKG... (non-interactive, quiet; apt-get update at most once)
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand"
  log "installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq </dev/null >/dev/null || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  as_root apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" \
    </dev/null >"$STATE_DIR/apt-get.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/apt-get.log" >&2; die "apt-get install $* failed"; }
}

port_open() { # port_open HOST:PORT
  (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null
}

probe() { # probe kafka|amqp HOST:PORT -> real protocol request, bounded
  node "$KAFKA_SRC/probe.mjs" "$1" "$2" 3000 2>"$STATE_DIR/probe-$1.err"
}

show_log() { # show_log FILE TITLE
  if [ -s "$1" ]; then
    printf '[brokers] --- last lines of %s (%s) ---\n' "$1" "$2" >&2
    tail -n 30 "$1" >&2
    printf '[brokers] ---\n' >&2
  fi
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

pid_file_alive() { # pid_file_alive FILE PATTERN -> prints the pid if it runs a matching command
  local pid; pid="$(cat "$1" 2>/dev/null || true)"
  pid_alive "$pid" || return 0
  # A stale pid file may name a pid that is now reused by another process.
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"; then return 0; fi
  echo "$pid"
}

# ----------------------------------------------------------------------------- Kafka

kafka_pid() { pid_file_alive "$KAFKA_STATE/kafka.pid" kafka.Kafka; }

kafka_fetch_jars() {
  [ -f "$CACHE_DIR/libs/.complete" ] && return 0
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $CACHE_DIR/libs"
  local t0 tmp; t0=$(now)
  mkdir -p "$CACHE_DIR"
  tmp="$(mktemp -d "$CACHE_DIR/libs.tmp.XXXXXX")"
  if ! mvn -q -B -f "$KAFKA_SRC/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
      </dev/null >"$STATE_DIR/mvn.log" 2>&1; then
    rm -rf "$tmp"
    show_log "$STATE_DIR/mvn.log" "maven"
    die "could not fetch the Kafka $KAFKA_VERSION jars (see $STATE_DIR/mvn.log)"
  fi
  touch "$tmp/.complete"
  rm -rf "$CACHE_DIR/libs"
  mv "$tmp" "$CACHE_DIR/libs"
  log "Kafka jars fetched in $(( $(now) - t0 )) s"
}

# kafka_launch: start the broker unless it runs; KAFKA_WAIT=1 when kafka_wait must wait.
kafka_launch() {
  KAFKA_WAIT=0
  local pid; pid="$(kafka_pid)"
  if pid_alive "$pid"; then
    log "kafka already running (pid $pid)"
  elif probe kafka "$KAFKA_ADDR"; then
    log "kafka already answers on $KAFKA_ADDR (not started by this script)"
    return 0
  else
    port_open "$KAFKA_ADDR" && die "port ${KAFKA_ADDR#*:} is taken by something that is not a Kafka broker"
    kafka_fetch_jars
    command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
    rm -rf "$KAFKA_STATE"
    mkdir -p "$KAFKA_STATE/data"
    sed "s#@LOG_DIRS@#$KAFKA_STATE/data#" "$KAFKA_SRC/server.properties" >"$KAFKA_STATE/server.properties"
    cp "$KAFKA_SRC/log4j2.properties" "$KAFKA_STATE/log4j2.properties"
    local cp="$CACHE_DIR/libs/*"
    local jvm=(-Djava.awt.headless=true -Dlog4j2.configurationFile="$KAFKA_STATE/log4j2.properties"
               -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)
    # Fixed cluster id: the data dir is wiped on every fresh start anyway.
    if ! java "${jvm[@]}" -Xmx256m -cp "$cp" kafka.tools.StorageTool format \
        -t "b3RlbC1pbnN0cnVtZW50AA" -c "$KAFKA_STATE/server.properties" \
        </dev/null >"$KAFKA_STATE/format.log" 2>&1; then
      show_log "$KAFKA_STATE/format.log" "kafka storage format"
      die "formatting the Kafka storage failed"
    fi
    # shellcheck disable=SC2086
    setsid nohup java "${jvm[@]}" ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} \
      -Dkafka.logs.dir="$KAFKA_STATE" -cp "$cp" kafka.Kafka "$KAFKA_STATE/server.properties" \
      </dev/null >"$KAFKA_STATE/kafka.log" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$KAFKA_STATE/kafka.pid"
    echo "$KAFKA_VERSION" >"$KAFKA_STATE/version"
    log "kafka $KAFKA_VERSION starting (pid $pid, log $KAFKA_STATE/kafka.log)"
  fi
  KAFKA_WAIT=1
}

kafka_wait() {
  [ "$KAFKA_WAIT" = 1 ] || return 0
  local pid; pid="$(kafka_pid)"
  local deadline=$(( $(now) + START_TIMEOUT ))
  until probe kafka "$KAFKA_ADDR"; do
    if ! pid_alive "$pid"; then
      show_log "$KAFKA_STATE/kafka.log" "kafka"
      die "kafka exited during startup"
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      show_log "$KAFKA_STATE/kafka.log" "kafka"
      cat "$STATE_DIR/probe-kafka.err" >&2 || true
      die "kafka did not answer a metadata request on $KAFKA_ADDR within ${START_TIMEOUT} s"
    fi
    sleep 0.5
  done
  log "kafka ready on $KAFKA_ADDR"
}

kafka_stop() {
  local pid; pid="$(kafka_pid)"
  if ! pid_alive "$pid"; then
    rm -f "$KAFKA_STATE/kafka.pid"
    if port_open "$KAFKA_ADDR"; then log "kafka on $KAFKA_ADDR was not started by this script; left alone"
    else log "kafka not running"; fi
    return 0
  fi
  log "stopping kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
  if pid_alive "$pid"; then log "kafka did not stop in 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$KAFKA_STATE/kafka.pid"
}

kafka_status() {
  local pid; pid="$(kafka_pid)"
  if probe kafka "$KAFKA_ADDR"; then
    if pid_alive "$pid"; then echo "kafka:    running on $KAFKA_ADDR (Kafka $(cat "$KAFKA_STATE/version" 2>/dev/null), pid $pid)"
    else echo "kafka:    running on $KAFKA_ADDR (not started by this script)"; fi
    return 0
  fi
  if pid_alive "$pid"; then echo "kafka:    starting or unhealthy (pid $pid, no answer on $KAFKA_ADDR)"
  else echo "kafka:    not running"; fi
  return 1
}

# -------------------------------------------------------------------------- RabbitMQ

# Debian's /usr/sbin/rabbitmq-* are wrappers that `su` to the rabbitmq user and use
# /var/lib/rabbitmq; the scripts behind them run as the calling user with the
# environment below, which keeps the node, its cookie, data and logs in our state dir.
rabbit_bin() { # rabbit_bin NAME
  if [ -x "/usr/lib/rabbitmq/bin/$1" ]; then echo "/usr/lib/rabbitmq/bin/$1"
  else command -v "$1" || true; fi
}

rabbit_env() {
  export HOME="$RABBIT_STATE/home" # holds the Erlang cookie shared by server and CLI
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="${AMQP_ADDR#*:}"
  export RABBITMQ_DIST_PORT=25672
  export ERL_EPMD_ADDRESS=127.0.0.1 # epmd, if this node starts it, listens on loopback only
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CONF_ENV_FILE="$RABBIT_STATE/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RABBIT_STATE/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_STATE/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RABBIT_STATE/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_STATE/log"
  export RABBITMQ_PID_FILE="$RABBIT_STATE/rabbit.pid"
}

rabbitmqctl_() { # bounded rabbitmqctl against our node
  (rabbit_env; timeout "${CTL_TIMEOUT:-30}" "$(rabbit_bin rabbitmqctl)" -n "$RABBIT_NODE" "$@" </dev/null 9>&-)
}

rabbit_pid() { pid_file_alive "$RABBIT_STATE/rabbit.pid" beam; }

# rabbit_launch: start the node unless it runs; RABBIT_WAIT=1 when rabbit_wait must wait.
rabbit_launch() {
  RABBIT_WAIT=0
  local pid; pid="$(rabbit_pid)"
  if pid_alive "$pid"; then
    log "rabbitmq already running (pid $pid)"
  elif probe amqp "$AMQP_ADDR"; then
    log "rabbitmq already answers on $AMQP_ADDR (not started by this script)"
    return 0
  else
    port_open "$AMQP_ADDR" && die "port ${AMQP_ADDR#*:} is taken by something that is not RabbitMQ"
    [ -n "$(rabbit_bin rabbitmq-server)" ] || apt_install rabbitmq-server
    [ -n "$(rabbit_bin rabbitmq-server)" ] || die "rabbitmq-server not found after install"
    # The Debian package may have started its own node (0.0.0.0:5672) on install.
    if probe amqp "$AMQP_ADDR"; then
      log "rabbitmq started by its package answers on $AMQP_ADDR; using it"
      return 0
    fi
    rm -rf "$RABBIT_STATE"
    mkdir -p "$RABBIT_STATE/home" "$RABBIT_STATE/log" "$RABBIT_STATE/mnesia"
    : >"$RABBIT_STATE/rabbitmq-env.conf"
    echo '[].' >"$RABBIT_STATE/enabled_plugins"
    cat >"$RABBIT_STATE/rabbitmq.conf" <<EOF
listeners.tcp.default = $AMQP_ADDR
# guest/guest may log in, from loopback only (RabbitMQ's default, stated here)
loopback_users.guest = true
default_user = guest
default_pass = guest
disk_free_limit.absolute = 50MB
EOF
    log "rabbitmq starting (log dir $RABBIT_STATE/log)"
    if ! (rabbit_env; "$(rabbit_bin rabbitmq-server)" -detached </dev/null >"$RABBIT_STATE/startup.log" 2>&1 9>&-); then
      show_log "$RABBIT_STATE/startup.log" "rabbitmq-server"
      die "rabbitmq-server -detached failed"
    fi
  fi
  RABBIT_WAIT=1
}

rabbit_wait() {
  [ "$RABBIT_WAIT" = 1 ] || return 0
  local deadline=$(( $(now) + START_TIMEOUT ))
  # Poll with the AMQP probe (cheap) rather than `rabbitmqctl await_startup`, whose Erlang
  # VM would compete for the 2 cores with the booting Kafka broker.
  until probe amqp "$AMQP_ADDR"; do
    # The node writes its pid file early in its boot; a pid file without a live node = crash.
    if [ -s "$RABBIT_STATE/rabbit.pid" ] && [ -z "$(rabbit_pid)" ]; then
      show_log "$RABBIT_STATE/startup.log" "rabbitmq-server"
      show_log "$(ls -t "$RABBIT_STATE"/log/*.log 2>/dev/null | head -n1)" "rabbitmq"
      die "rabbitmq exited during startup"
    fi
    if [ "$(now)" -ge "$deadline" ]; then
      show_log "$RABBIT_STATE/startup.log" "rabbitmq-server"
      show_log "$(ls -t "$RABBIT_STATE"/log/*.log 2>/dev/null | head -n1)" "rabbitmq"
      cat "$STATE_DIR/probe-amqp.err" >&2 || true
      die "rabbitmq did not answer on $AMQP_ADDR within ${START_TIMEOUT} s"
    fi
    sleep 0.5
  done
  log "rabbitmq ready on $AMQP_ADDR"
}

rabbit_stop() {
  local pid; pid="$(rabbit_pid)"
  if ! pid_alive "$pid"; then
    if port_open "$AMQP_ADDR"; then log "rabbitmq on $AMQP_ADDR was not started by this script; left alone"
    else log "rabbitmq not running"; fi
    return 0
  fi
  log "stopping rabbitmq (pid $pid)"
  rabbitmqctl_ -q stop "$RABBIT_STATE/rabbit.pid" >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 40); do pid_alive "$pid" || break; sleep 0.5; done
  if pid_alive "$pid"; then log "rabbitmq did not stop in 20 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
}

rabbit_status() {
  local pid; pid="$(rabbit_pid)"
  if probe amqp "$AMQP_ADDR"; then
    if pid_alive "$pid"; then echo "rabbitmq: running on $AMQP_ADDR (pid $pid)"
    else echo "rabbitmq: running on $AMQP_ADDR (not started by this script)"; fi
    return 0
  fi
  if pid_alive "$pid"; then echo "rabbitmq: starting or unhealthy (pid $pid, no answer on $AMQP_ADDR)"
  else echo "rabbitmq: not running"; fi
  return 1
}

# ------------------------------------------------------------------------------ main

usage() { echo "usage: $0 start|stop|status|restart" >&2; exit 2; }

main() {
  [ $# -eq 1 ] || usage
  command -v node >/dev/null 2>&1 || die "node is required (readiness probes)"
  mkdir -p "$STATE_DIR"
  # One start/stop at a time (several shells or test runs may call this).
  exec 9>"$STATE_DIR/.lock"
  local t0; t0=$(now)
  case "$1" in
    start|restart)
      flock -w 600 9 || die "another brokers.sh holds $STATE_DIR/.lock"
      if [ "$1" = restart ]; then kafka_stop; rabbit_stop; fi
      # Both boot in parallel: launch both, then wait for both.
      rabbit_launch
      kafka_launch
      rabbit_wait
      kafka_wait
      log "brokers ready in $(( $(now) - t0 )) s"
      ;;
    stop)
      flock -w 600 9 || die "another brokers.sh holds $STATE_DIR/.lock"
      kafka_stop
      rabbit_stop
      log "stopped in $(( $(now) - t0 )) s"
      ;;
    status)
      local rc=0
      rabbit_status || rc=1
      kafka_status || rc=1
      return $rc
      ;;
    *) usage ;;
  esac
}

main "$@"
