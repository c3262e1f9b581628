#!/usr/bin/env bash
# Builds and runs every test twice: a Release build, then a build under AddressSanitizer and
# UndefinedBehaviorSanitizer. Tests that need the shared clips, labelled frames or models read them
# from SN44_TEST_DATA (default: ../shared/data beside the checkout) and skip when it is absent.
#
#   scripts/test.sh             both builds
#   SN44_TEST_BUILDS=release scripts/test.sh   one of: release, sanitize
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if [[ -z "${SN44_TEST_DATA:-}" && -d ../shared/data ]]; then
  export SN44_TEST_DATA="$(cd ../shared/data && pwd)"
fi
echo "SN44_TEST_DATA=${SN44_TEST_DATA:-<unset: tests that need shared data will skip>}"

builds="${SN44_TEST_BUILDS:-release sanitize}"
for build in $builds; do
  case "$build" in
    release)
      step "Release build and tests (build/)"
      configure_release build
      run_tests build
      ;;
    sanitize)
      step "AddressSanitizer + UndefinedBehaviorSanitizer build and tests (build-sanitize/)"
      # -O0 with line tables only: readable sanitizer reports, and 60% of -O1's compile time for 20%
      # more test time, since the tests' time goes mostly into LibTorch and FFmpeg (docs/testing.md).
      # The models the Release tests generated are the same (fixed seeds): they are used again.
      configure_and_build build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1 -DNDEBUG" \
        -DSN44_SANITIZE=ON -DSN44_WARNINGS_AS_ERRORS=ON -DSN44_BUILD_BENCH=OFF -DSN44_TEST_MODELS_DIR="$PWD/build/test-models"
      ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
      UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
      LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0" \
        run_tests build-sanitize
      ;;
    *) echo "unknown build '$build'" >&2; exit 2 ;;
  esac
done
