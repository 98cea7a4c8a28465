#!/usr/bin/env bash
# Vendor Apache ECharts (Apache-2.0) from the npm registry into the bulletins app's static files.
# The page never loads anything from a CDN: the dashboard's CSP is script-src 'self'.
#
#   scripts/update_echarts.sh [version]     # default: the version in the current VERSION file
#
# The tarball's sha512 must match the registry's dist.integrity before anything is extracted.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/gandang/bulletins/static/vendor/echarts"
DEFAULT_VERSION="6.1.0"
if [[ -f "$DEST/VERSION" ]]; then
  DEFAULT_VERSION="$(sed -n 's/^version=//p' "$DEST/VERSION")"
fi
VERSION="${1:-$DEFAULT_VERSION}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

EXPECTED="$(npm view "echarts@$VERSION" dist.integrity)"
if [[ "$EXPECTED" != sha512-* ]]; then
  echo "no sha512 integrity for echarts@$VERSION from the registry: '$EXPECTED'" >&2
  exit 1
fi

TARBALL="$(cd "$WORK" && npm pack --silent "echarts@$VERSION" | tail -n 1)"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$WORK/$TARBALL" | base64 -w0)"
if [[ "$ACTUAL" != "$EXPECTED" ]]; then
  echo "integrity mismatch for $TARBALL: expected $EXPECTED, got $ACTUAL" >&2
  exit 1
fi

tar -xzf "$WORK/$TARBALL" -C "$WORK" package/dist/echarts.min.js package/LICENSE
tar -xzf "$WORK/$TARBALL" -C "$WORK" package/NOTICE 2>/dev/null || true

mkdir -p "$DEST"
install -m 0644 "$WORK/package/dist/echarts.min.js" "$DEST/echarts.min.js"
install -m 0644 "$WORK/package/LICENSE" "$DEST/LICENSE"
if [[ -f "$WORK/package/NOTICE" ]]; then
  install -m 0644 "$WORK/package/NOTICE" "$DEST/NOTICE"
fi

{
  echo "version=$VERSION"
  echo "source=npm echarts@$VERSION ($TARBALL)"
  echo "integrity=$EXPECTED"
  echo "sha256=$(sha256sum "$DEST/echarts.min.js" | cut -d' ' -f1)  echarts.min.js"
} > "$DEST/VERSION"

echo "echarts $VERSION -> $DEST"
cat "$DEST/VERSION"
