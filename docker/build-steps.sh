#!/usr/bin/env bash
# The image's two Maven steps (the Dockerfile runs them; DockerBuildStepsIT runs the same on this machine).
#   dependencies  in a tree holding the POMs alone: package it, which resolves every plugin and dependency that
#                 'package' uses, and nothing else (dependency:go-offline also wants what no build uses and stops
#                 at an optional artifact that was never published); its output is thrown away
#   build         the whole tree, offline: what the first step missed fails the build here, by name
# Further arguments go to Maven (the test points it at a local repository of its own).
set -euo pipefail
step="${1:-}"
shift || true
case "$step" in
    dependencies)
        mvn -B -q -DskipTests package "$@"
        rm -rf target ./*/target
        ;;
    build)
        mvn -B -q -o -DskipTests package "$@"
        ;;
    *)
        echo "usage: $0 dependencies|build [maven options]" >&2
        exit 2
        ;;
esac
