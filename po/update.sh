#!/bin/sh
# The translators' catch-up pass: regenerate po/whitecell.pot from the files in POTFILES.in
# (xgettext with the keywords of po/meson.build), merge it into every catalogue in LINGUAS
# (new strings come in untranslated, changed ones fuzzy), and say what is left to translate.
#   po/update.sh [BUILDDIR]      (default: _build-i18n, set up if missing)
# Then translate the empty and fuzzy entries of po/*.po and run
#   meson test -C BUILDDIR po-catalogues
set -eu
cd "$(dirname "$0")/.."
build=${1:-_build-i18n}

[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null

# a source file with marked strings that POTFILES.in does not list would be silently skipped
missing=$(grep -lE '\b(_|N_|C_|NC_|ngettext|g_dngettext)[[:space:]]*\(|translatable="yes"' \
            app/*/*.c ui/*.c ui/*.ui ui/gtk/*.ui 2>/dev/null |
          while read -r f; do grep -qxF "$f" po/POTFILES.in || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "Add these to po/POTFILES.in first:" >&2
  echo "$missing" >&2
fi

meson compile -C "$build" whitecell-pot >/dev/null
meson compile -C "$build" whitecell-update-po >/dev/null

for lang in $(cat po/LINGUAS); do
  printf '%s: ' "$lang"
  msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1
  msgattrib --untranslated --no-obsolete "po/$lang.po" | grep -c '^msgid ' | sed 's/^/  untranslated entries (with header): /'
  msgattrib --only-fuzzy --no-obsolete "po/$lang.po" | grep -c '^msgid ' | sed 's/^/  fuzzy entries (with header): /'
done
