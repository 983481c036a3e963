#!/bin/sh
# Minimises the committed corpus of each target (or of the targets named):
# a greedy set cover over the edges reached (libFuzzer -set_cover_merge,
# without counters and comparisons, which would keep near-duplicates), so
# that fuzz/corpus stays at a few hundred files a target. New inputs from a
# campaign are merged by passing their directories after `--`:
#
#   fuzz/cmin.sh                       # all targets, the corpus alone
#   fuzz/cmin.sh lsp -- /tmp/lsp-new   # lsp, with a campaign's corpus
set -eu
cd "$(dirname "$0")/.."
targets=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets="$targets $1"; shift; done
[ "${1:-}" = "--" ] && shift
[ -n "$targets" ] || targets="build_site fmt lsp"
cargo +nightly fuzz build >/dev/null
bin=fuzz/target/x86_64-unknown-linux-gnu/release
for target in $targets; do
  tmp=$(mktemp -d)
  "$bin/$target" -set_cover_merge=1 -use_counters=0 -use_cmp=0 -max_len=1048576 \
    "$tmp" "fuzz/corpus/$target" "$@" >"$tmp.log" 2>&1 \
    || { tail -n 40 "$tmp.log"; exit 1; }
  rm -rf "fuzz/corpus/$target" "$tmp.log"
  mv "$tmp" "fuzz/corpus/$target"
  echo "fuzz/corpus/$target: $(ls "fuzz/corpus/$target" | wc -l) files"
done
