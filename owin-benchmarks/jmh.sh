#!/usr/bin/env bash
# Runs the JMH benchmarks: owin-benchmarks/jmh.sh [JMH options, e.g. a benchmark name pattern]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl owin-benchmarks -am
exec java -cp "owin-benchmarks/target/classes:owin-benchmarks/target/lib/*" org.openjdk.jmh.Main "$@"
