#!/bin/sh
# Container entry point: httpmon SERVICE [OPTIONS]. JAVA_OPTS sets the JVM options (heap).
set -e
service="${1:-}"
[ $# -gt 0 ] && shift
case "$service" in
  reader|parser|stats|alert|display)
    exec java ${JAVA_OPTS:--Xmx384m} -jar "/opt/httpmon/$service-service.jar" "$@" ;;
  monitor|generate)
    exec java ${JAVA_OPTS:--Xmx512m} -jar /opt/httpmon/httpmon.jar "$service" "$@" ;;
  -h|--help|"")
    echo "Usage: httpmon reader|parser|stats|alert|display|monitor|generate [OPTIONS]  (each takes --help)"
    exit 0 ;;
  *)
    echo "httpmon: unknown service '$service'; expected reader, parser, stats, alert, display, monitor or generate" >&2
    exit 2 ;;
esac
