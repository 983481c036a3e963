#!/bin/sh
# Seeds a corpus directory (default fuzz/corpus), one subdirectory a target,
# with every .pfk the project has: the examples, the test fixtures, the
# parity sites, and the shared specification's examples and error cases,
# plus a few inputs written for the targets' own formats (below). Each file
# is named by the SHA-1 of its content, as libFuzzer names corpus entries.
# The committed corpus is minimised: to add new seeds, seed a scratch
# directory and merge it with fuzz/cmin.sh, which keeps what adds coverage:
#
#   fuzz/seed.sh /tmp/seeds && fuzz/cmin.sh build_site -- /tmp/seeds/build_site
set -eu
out="$(realpath -m "${1:-fuzz/corpus}")"
cd "$(dirname "$0")/.."
sources="examples tests/fixtures tests/parity ../shared/spec/examples ../shared/spec/errors"
for target in build_site fmt lsp; do
  mkdir -p "$out/$target"
  for dir in $sources; do
    [ -d "$dir" ] || continue
    find "$dir" -name '*.pfk' -type f | sort | while read -r f; do
      sum=$(sha1sum "$f" | cut -d' ' -f1)
      cp "$f" "$out/$target/$sum"
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
  for target in build_site fmt lsp; do cp "$tmp" "$out/$target/$sum"; done
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
cp "$tmp" "$out/lsp/$sum"
rm -f "$tmp"
# Sites for the build target's credential property: credentials where the
# compiler rejects them (env), next to strings it passes through (args,
# command), for the fuzzer to move between.
header='site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}

server prefect { database = sqlite {} }
pool jobs { type = kubernetes }
'
for body in \
  'env = { "PREFECT_API_KEY" = "pnu_abcdefghijklmnopqrstuvwxyz0123456789" }' \
  'env = { "DSN" = "postgresql://etl:hunter2@db:5432/etl" }' \
  'env = { "AWS_ACCESS_KEY_ID" = "AKIAIOSFODNN7EXAMPLE", "TOKEN" = "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }' \
  'args = ["--verbose"]
  command = ["prefect", "worker", "start"]
  env = { "TLS_KEY" = """-----BEGIN PRIVATE KEY-----
MIIE
-----END PRIVATE KEY-----""" }'; do
  tmp=$(mktemp)
  printf '%s\nworker w {\n  pool = jobs\n  api  = prefect\n  %s\n}\n' "$header" "$body" > "$tmp"
  sum=$(sha1sum "$tmp" | cut -d' ' -f1)
  cp "$tmp" "$out/build_site/$sum"
  rm -f "$tmp"
done
# Nesting, for every target: deep enough to be costly, shallow enough to
# pass; the fuzzer's copy mutations take it deeper.
tmp=$(mktemp)
python3 - > "$tmp" <<'PY'
n = 64
print("let lists = " + "[" * n + "1" + "]" * n)
print("let parens = " + "(" * n + "1" + ")" * n)
print("let records = " + "{ a = " * n + "1" + " }" * n)
print("let ifs = " + "if true { " * n + "1" + " }" * n)
print("let nots = " + "!" * n + "true")
print("let sum = " + " + ".join(['"a"'] * n))
interp = '"x"'
for _ in range(8):
    interp = '"${' + interp + '}"'
print("let interp = " + interp)
PY
sum=$(sha1sum "$tmp" | cut -d' ' -f1)
for target in build_site fmt lsp; do cp "$tmp" "$out/$target/$sum"; done
rm -f "$tmp"
for target in build_site fmt lsp; do
  echo "$out/$target: $(ls "$out/$target" | wc -l) files"
done
