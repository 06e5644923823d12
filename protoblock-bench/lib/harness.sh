# Sourced by protoblock-bench/fault-suite and protoblock-bench/soak: builds the node program and the
# harness (protoblock-node's test classes, package org.protoblock.node.faults), then copies both into
# "$DIST" so that a long run keeps the program it started with even if the tree is rebuilt meanwhile.
#   PROTOBLOCK_MVN_OPTS   extra Maven options for the build (e.g. -o when offline)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# $1: output directory; sets DIST, JAVA and HARNESS_CP.
harness_build() {
    local out="$1"
    # shellcheck disable=SC2086  # PROTOBLOCK_MVN_OPTS holds several options
    ./mvnw -q -B ${PROTOBLOCK_MVN_OPTS:-} -DskipTests -pl protoblock-node -am package
    DIST="$out/dist"
    mkdir -p "$DIST"
    cp protoblock-node/target/protoblock-node.jar "$DIST/"
    cp -r protoblock-node/target/lib "$DIST/lib"
    cp -r protoblock-node/target/test-classes "$DIST/harness-classes"
    cp protoblock-chain/target/protoblock-chain-*-tests.jar "$DIST/chain-tests.jar"
    JAVA="java"
    [[ -n "${JAVA_HOME:-}" ]] && JAVA="$JAVA_HOME/bin/java"
    [[ -s protoblock-node/target/.build-java ]] && JAVA="$(cat protoblock-node/target/.build-java)"
    HARNESS_CP="$DIST/harness-classes:$DIST/chain-tests.jar:$DIST/protoblock-node.jar"
    {
        date -u
        uname -srm
        echo "nproc $(nproc)"
        grep -m1 'model name' /proc/cpuinfo || true
        free -h | head -2
        "$JAVA" -version 2>&1
        git rev-parse --short HEAD
        uptime
    } > "$out/machine.txt"
}
