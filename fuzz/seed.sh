#!/bin/sh
# Seeds fuzz/corpus/<target>/ with every .pfk the project has: the examples,
# the test fixtures, the parity sites, and the shared specification's
# examples and error cases. Each file is copied under the SHA-1 of its
# content (as libFuzzer names corpus entries), so running this again adds
# nothing twice. Then `cargo +nightly fuzz cmin <target>` keeps the corpus
# small. Run from anywhere; paths are relative to the repository.
set -eu
cd "$(dirname "$0")/.."
sources="examples tests/fixtures tests/parity ../shared/spec/examples ../shared/spec/errors"
for target in build_site fmt lsp; do
  mkdir -p "fuzz/corpus/$target"
  for dir in $sources; do
    [ -d "$dir" ] || continue
    find "$dir" -name '*.pfk' -type f | sort | while read -r f; do
      sum=$(sha1sum "$f" | cut -d' ' -f1)
      cp "$f" "fuzz/corpus/$target/$sum"
    done
  done
done
# Sites split into a root and an imported file, as the build and fmt
# targets read them (props::LIB_SEPARATOR), from the directories whose
# files import each other.
for dir in examples/teams; do
  [ -d "$dir" ] || continue
  tmp=$(mktemp)
  { cat "$dir/site.pfk" | sed 's/import "common.pfk"/import "lib.pfk"/'
    printf '\n//--- lib.pfk\n'
    cat "$dir/common.pfk"; } > "$tmp"
  sum=$(sha1sum "$tmp" | cut -d' ' -f1)
  for target in build_site fmt lsp; do cp "$tmp" "fuzz/corpus/$target/$sum"; done
  rm -f "$tmp"
done
# A script for the lsp target (see props::lsp): documents opened, edited,
# closed, requests at given positions, raw frames and malformed params.
tmp=$(mktemp)
cat > "$tmp" <<'SCRIPT'
import "lib.pfk"

site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}

server prefect {
  database = sqlite {}
}

worker etl {
  pool = shared
  api  = prefect
}
//--- open lib.pfk
pool shared { type = kubernetes }
//--- hover site.pfk 12 10
//--- definition site.pfk 12 10
//--- completion site.pfk 13 3
//--- edit site.pfk 12 2 12 6
replicas = 2
//--- symbols lib.pfk
//--- format site.pfk
//--- save lib.pfk
//--- close lib.pfk
//--- change site.pfk
site { 
//--- raw
Content-Length: 88

{"jsonrpc":"2.0","id":"raw-1","method":"textDocument/hover","params":{"textDocument":{}}}
//--- request textDocument/hover
{"textDocument":{"uri":"file:///nonexistent-prefectc-fuzz/site.pfk"},"position":{"line":-1,"character":99999999999}}
//--- notify textDocument/didChange
{"textDocument":{"uri":"file:///nonexistent-prefectc-fuzz/site.pfk","version":3},"contentChanges":[{"range":{"start":{"line":9,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}
//--- request workspace/symbol
{}
SCRIPT
sum=$(sha1sum "$tmp" | cut -d' ' -f1)
cp "$tmp" "fuzz/corpus/lsp/$sum"
rm -f "$tmp"
for target in build_site fmt lsp; do
  echo "fuzz/corpus/$target: $(ls "fuzz/corpus/$target" | wc -l) files"
done
