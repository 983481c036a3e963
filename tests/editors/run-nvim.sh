#!/usr/bin/env bash
# Runs tests/editors/nvim.lua in headless Neovim against the release binary
# and checks that the editor received the fixture's E0301 at line 14,
# column 3, and a hover. Exits non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${PREFECTC:-$PWD/target/release/prefectc}"
OUT="$(mktemp)"
CACHE="$(mktemp -d)"
trap 'rm -rf "$OUT" "$CACHE"' EXIT

nvim --version | head -n 1
PREFECTC="$BIN" FIXTURE="$PWD/tests/editors/broken.pfk" OUT="$OUT" XDG_CACHE_HOME="$CACHE" \
  timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile tests/editors/nvim.lua" </dev/null
echo "what Neovim received:"
cat "$OUT"

if ! grep -q '^E0301:14:3:unknown field' "$OUT"; then
  echo "FAIL: expected E0301 at 14:3 in Neovim's diagnostics" >&2
  exit 1
fi
if ! grep -q '^hover:.*api: Api' "$OUT"; then
  echo "FAIL: expected the hover of the field \`api\`" >&2
  exit 1
fi
echo "nvim: ok"
