#!/bin/bash
# Container entry point: httpmon SERVICE [OPTIONS]. JAVA_OPTS sets the JVM options (heap).
# Every service runs from the one set of libraries in /opt/httpmon/lib.
set -e
service="${1:-}"
[ $# -gt 0 ] && shift
run() { # heap, main class, arguments
  local heap="$1" main="$2"
  shift 2
  # shellcheck disable=SC2086
  exec java ${JAVA_OPTS:-$heap} -cp "/opt/httpmon/httpmon.jar:/opt/httpmon/lib/*" "$main" "$@"
}
# Each [Stats NAME] monitor keeps its open windows in memory: stats and monitor get 128 MiB more heap per monitor of
# the config (HTTPMON_CONFIG), as ./httpmon does (docs/performance.md, "Statistics monitors").
monitors=0
if [ -r "${HTTPMON_CONFIG:-}" ]; then
  monitors="$(grep -cE '^[[:space:]]*\[Stats[[:space:]]+[^]]+\]' "$HTTPMON_CONFIG" || true)"
fi
case "$service" in
  reader)  run -Xmx256m io.httpmon.reader.ReaderCommand "$@" ;;
  parser)  run -Xmx384m io.httpmon.parser.ParserCommand "$@" ;;
  stats)   run "-Xmx$((512 + 128 * monitors))m" io.httpmon.stats.StatsCommand "$@" ;;
  alert)   run -Xmx384m io.httpmon.alert.AlertCommand "$@" ;;
  display) run -Xmx128m io.httpmon.display.DisplayCommand "$@" ;;
  rules)   run -Xmx128m io.httpmon.alert.RulesCommand "$@" ;;
  monitors) run -Xmx128m io.httpmon.stats.MonitorsCommand "$@" ;;
  status)  run -Xmx128m io.httpmon.monitor.StatusCommand "$@" ;;
  monitor|generate)
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:--Xmx$((512 + 128 * monitors))m} -jar /opt/httpmon/httpmon.jar "$service" "$@" ;;
  healthcheck)
    # The container's healthcheck: GET /health on the service's --http port (HTTPMON_HTTP), no JVM and no curl
    # started for it: bash's own /dev/tcp. Healthy on 200 (ready), unhealthy on anything else.
    port="${HTTPMON_HTTP##*:}"
    exec 3<>"/dev/tcp/127.0.0.1/${port:-8080}" || exit 1
    printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    read -r -t 5 status_line <&3 || exit 1
    [[ "$status_line" == *" 200 "* ]] ;;
  -h|--help|"")
    echo "Usage: httpmon reader|parser|stats|alert|display|rules|monitors|status|monitor|generate [OPTIONS]  (each takes --help)"
    exit 0 ;;
  *)
    echo "httpmon: unknown service '$service'; expected reader, parser, stats, alert, display, rules, monitors, status," \
      "monitor or generate" >&2
    exit 2 ;;
esac
