#!/usr/bin/env bash
# Note [Tests that need a real dataset] (tests/support/data.hpp) end to end: with an empty
# SYN_DATA_DIR a dataset test prints the skip line and exits 0, and with CI=true it fails instead.
#   tests/check_dataset_skip.sh TEST_BINARY TEST_CASE_FILTER
set -uo pipefail
binary=$1 filter=$2
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT

fail() {
  printf '%s\n--- output of %s --test-case=%s:\n%s\n' "$1" "$binary" "$filter" "$out"
  exit 1
}

out=$(SYN_DATA_DIR=$empty CI= "$binary" --test-case="$filter" 2>&1) || fail "without CI the test failed"
grep -q "^SYN_TEST_SKIPPED: .*SYN_DATA_DIR is '$empty'" <<<"$out" || fail "without CI there is no skip line"

out=$(SYN_DATA_DIR=$empty CI=true "$binary" --test-case="$filter" 2>&1) && fail "with CI=true the test passed"
grep -q SYN_TEST_SKIPPED <<<"$out" && fail "with CI=true the test printed the skip line"
grep -q "with CI=true that is a failure" <<<"$out" || fail "with CI=true the failure does not say why"
echo "a missing dataset skips outside CI and fails with CI=true"
