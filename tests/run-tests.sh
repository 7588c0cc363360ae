#!/bin/sh
# Builds Whitecell in BUILDDIR (default _build) with any extra meson options, and runs the whole
# test suite: unit, data, cli (and the GUI tests under a virtual X server).
# Usage: tests/run-tests.sh [BUILDDIR] [MESON_OPTION…]
set -eu
cd "$(dirname "$0")/.."
builddir=${1:-_build}
[ $# -gt 0 ] && shift
if [ -f "$builddir/build.ninja" ]; then
  meson configure "$builddir" "$@" >/dev/null
else
  meson setup "$builddir" "$@"
fi
ninja -C "$builddir"
if command -v xvfb-run >/dev/null 2>&1 && [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" meson test -C "$builddir" --print-errorlogs
fi
exec meson test -C "$builddir" --print-errorlogs
