#!/usr/bin/env bash
# Builds the libFuzzer targets of Tests/Fuzz/Targets with swiftc (no SwiftPM: `.build` is left
# alone) and runs each for FUZZ_SECONDS, one at a time. Not part of CI; see README.md.
#
#   Tests/Fuzz/run.sh                 # every target, 60 s each
#   FUZZ_SECONDS=300 Tests/Fuzz/run.sh json notes
#
# Environment: FUZZ_BUILD (scratch dir, default /tmp/ledger-fuzz), FUZZ_SECONDS (default 60),
# SWIFTC (default swiftc, or /opt/swift/usr/bin/swiftc if that exists), FUZZ_NICE (default 19),
# FUZZ_EXTRA (more libFuzzer flags). Exit status: 0 if no target crashed, 1 if one did, 2 if the
# build failed. Crashing inputs are copied to Tests/Fuzz/Crashes/<target>/.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${FUZZ_BUILD:-/tmp/ledger-fuzz}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
NICE="nice -n ${FUZZ_NICE:-19}"
if [[ -z "${SWIFTC:-}" ]]; then
    if [[ -x /opt/swift/usr/bin/swiftc ]]; then SWIFTC=/opt/swift/usr/bin/swiftc; else SWIFTC=swiftc; fi
fi

# target name -> source file (also the corpus and crash directory names)
declare -A SOURCES=(
    [json]=FuzzJSON.swift
    [tilepath]=FuzzTilePath.swift
    [notes]=FuzzSignedNote.swift
    [proofs]=FuzzProofs.swift
    [jsonl]=FuzzJSONLines.swift
    [ed25519]=FuzzEd25519.swift
)
ALL=(json tilepath notes proofs jsonl ed25519)
if [[ $# -gt 0 ]]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
for t in "${TARGETS[@]}"; do
    [[ -n "${SOURCES[$t]:-}" ]] || { echo "unknown target '$t' (known: ${ALL[*]})" >&2; exit 2; }
done

mkdir -p "$BUILD"
cd "$ROOT"
# -O keeps Swift's bounds and overflow checks (they trap, and libFuzzer reports the trap);
# -enable-testing so a target may `@testable import` internal API if it needs to.
COMMON=(-sanitize=fuzzer,address -O -g -I "$BUILD" -I Sources/COpenSSL -Xcc -I/usr/include)
CRYPTO_LIBS=$(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)

build_module() {  # name, sources...
    local name=$1; shift
    echo "== building module $name"
    $NICE "$SWIFTC" -parse-as-library -module-name "$name" -emit-module -emit-module-path "$BUILD/$name.swiftmodule" \
        -emit-object -wmo -enable-testing -o "$BUILD/$name.o" "${COMMON[@]}" "$@" || exit 2
}
build_module LedgerCrypto Sources/LedgerCrypto/*.swift
build_module LedgerCore Sources/LedgerCore/*.swift
for t in "${TARGETS[@]}"; do
    echo "== building fuzz-$t"
    $NICE "$SWIFTC" -parse-as-library -use-ld=lld "${COMMON[@]}" "$HERE/FuzzEntry.swift" "$HERE/Targets/${SOURCES[$t]}" \
        "$BUILD/LedgerCore.o" "$BUILD/LedgerCrypto.o" $CRYPTO_LIBS -o "$BUILD/fuzz-$t" || exit 2
done

status=0
summary=()
for t in "${TARGETS[@]}"; do
    work="$BUILD/corpus/$t"          # new inputs go here, not into the checked-in corpus
    crashes="$BUILD/crashes/$t"
    mkdir -p "$work" "$crashes" "$HERE/Corpus/$t"
    log="$BUILD/fuzz-$t.log"
    echo "== fuzzing $t for ${SECONDS_PER_TARGET}s (log: $log)"
    start=$(date +%s)
    # shellcheck disable=SC2086
    $NICE "$BUILD/fuzz-$t" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -max_len=70000 -timeout=30 \
        -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_EXTRA:-} "$work" "$HERE/Corpus/$t" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    corpus=$(ls "$work" | wc -l)
    if [[ $rc -ne 0 ]]; then
        status=1
        mkdir -p "$HERE/Crashes/$t"
        cp "$crashes"/* "$HERE/Crashes/$t/" 2>/dev/null
        grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|fuzz invariant|deadly signal|SUMMARY' "$log" | sed 's/^/   /'
        line="$t: CRASHED (exit $rc) after ${elapsed}s, executions ${execs:-?}; inputs in Tests/Fuzz/Crashes/$t/: $(ls "$crashes" | tr '\n' ' ')"
    else
        line="$t: ok, executions ${execs:-?} in ${elapsed}s, working corpus $corpus files"
    fi
    echo "$line"
    summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
