#!/usr/bin/env bash
# Fails unless the ctest entries of BUILD_DIR (those without the label `standalone`) are exactly the
# doctest cases of the test binaries, each named PREFIX + case name
# (Note [Every ctest entry is one doctest case] in tests/support/main.cpp).
#   tests/check_ctest_cases.sh BUILD_DIR PREFIX1 BINARY1 [PREFIX2 BINARY2 ...]
set -euo pipefail
export LC_ALL=C
build_dir=$1
shift

expected=$(mktemp)
actual=$(mktemp)
trap 'rm -f "$expected" "$actual"' EXIT

while [ $# -ge 2 ]; do
  prefix=$1 binary=$2
  shift 2
  # doctest frames the list with ==== lines and "[doctest] ..." lines; every other line is a case.
  "$binary" --list-test-cases --no-colors |
    grep -v -e '^=*$' -e '^\[doctest\] ' |
    while IFS= read -r name; do printf '%s%s\n' "$prefix" "$name"; done >>"$expected"
done
[ $# -eq 0 ] || { echo "check_ctest_cases.sh: PREFIX '$1' has no BINARY" >&2; exit 2; }

"${CTEST:-ctest}" --test-dir "$build_dir" -N -LE '^standalone$' | sed -n 's/^ *Test *#[0-9]*: //p' >"$actual"

sort -o "$expected" "$expected"
sort -o "$actual" "$actual"
if ! diff "$expected" "$actual" >/dev/null; then
  echo "the ctest entries and the doctest cases differ (names with ';' are split by CMake):"
  echo "  only a doctest case (never run by ctest):"
  comm -23 "$expected" "$actual" | sed 's/^/    /'
  echo "  only a ctest entry (runs no case):"
  comm -13 "$expected" "$actual" | sed 's/^/    /'
  exit 1
fi
echo "$(wc -l <"$actual") ctest entries, one per doctest case"
