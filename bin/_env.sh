# Shared by bin/demo and bin/test: a virtualenv in .venv with the project installed.
# Re-installs only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "敢当需要 Python 3.11 或更高版本 / Gandang needs Python >= 3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # Debian ships venv separately; install it when we may.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      rm -rf .venv
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "请先安装 python3-venv：sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi
EXTRAS="${GANDANG_EXTRAS:-}"
STAMP=".venv/.installed${EXTRAS:+-$EXTRAS}"
HASH="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$HASH" ]; then
  echo "安装依赖 / installing dependencies…"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$HASH" > "$STAMP"
fi
