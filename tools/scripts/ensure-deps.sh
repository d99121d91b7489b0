#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or was installed from another
# package.json / package-lock.json. One retry: npm occasionally fails a fresh install on these
# machines (a native package's postinstall dying with SIGBUS while its files are still being
# written, ENOTEMPTY on a half-removed folder).
#
# A machine keeps the tree of its last two installs, keyed by the manifests, Node's version and
# the platform, under REHEARSE_DEPS_CACHE (default ~/.cache/rehearse/node_modules), as pnpm keeps
# its store: the install is linked into the store (hard links, about 2 s), and another checkout or
# clean clone of the same lockfile links that tree instead of extracting 1,874 packages again
# (about 60 s on 2 cores). A linked tree's files are the store's: anything that rewrites a file
# inside node_modules in place rewrites it for every checkout, so a linked tree is removed, never
# installed over, when the manifests change; npm's own record (.package-lock.json), which npm
# rewrites in place, is each tree's own copy. REHEARSE_DEPS_CACHE=off installs as plain npm does.
set -euo pipefail

key="$(cat package.json package-lock.json | sha256sum | cut -c1-16)-node$(node -p 'process.versions.node')-$(uname -sm | tr ' ' '-')"
stamp=node_modules/.rehearse-deps

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${key}" ]; then exit 0; fi
# a tree installed before the stamp existed: current if npm's own record is newer than the lockfile
if [ ! -f "$stamp" ] && [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "$key" > "$stamp"
  exit 0
fi

cache="${REHEARSE_DEPS_CACHE:-${HOME:+$HOME/.cache/rehearse/node_modules}}"
[ -n "$cache" ] || cache=off
store="$cache/$key"

# a tree linked from the store is removed, not installed over (npm would rewrite shared files)
if [ -f node_modules/.rehearse-linked ]; then
  echo "[setup] the manifests changed: removing node_modules linked from $cache"
  rm -rf node_modules
fi

if [ "$cache" != off ] && [ -f "$store/.rehearse-deps" ] && [ ! -e node_modules ]; then
  echo "[setup] node_modules: linking this machine's install of the same lockfile ($store)"
  rm -rf node_modules.linking
  if cp -al "$store" node_modules.linking 2> /dev/null; then
    # npm rewrites its own record in place: each checkout gets a copy of it
    rm -f node_modules.linking/.package-lock.json
    cp -p "$store/.package-lock.json" node_modules.linking/.package-lock.json
    touch node_modules.linking/.rehearse-linked "$store"
    mv node_modules.linking node_modules
    exit 0
  fi
  echo "[setup] could not link from $store (another file system?); installing" >&2
  rm -rf node_modules.linking
fi

echo "[setup] npm install"
if ! npm install --no-audit --no-fund --loglevel=error; then
  echo "[setup] npm install failed; removing node_modules and trying once more" >&2
  rm -rf node_modules
  npm install --no-audit --no-fund --loglevel=error
fi
mkdir -p node_modules
echo "$key" > "$stamp"

# keep this install for the next checkout of the same lockfile, linked as the next checkout's will
# be (so this tree too is removed rather than installed over when the manifests change), and only
# the two newest installs. Keeping is a saving, never a condition: where the store cannot be
# written (another file system, no room, not writable), the install stands.
keep_install() {
  mkdir -p "$cache" 2> /dev/null || return 1
  if [ ! -f "$store/.rehearse-deps" ]; then
    local saving="$cache/.saving-$$"
    if ! {
      cp -al node_modules "$saving" 2> /dev/null &&
        rm -f "$saving/.package-lock.json" &&
        cp -p node_modules/.package-lock.json "$saving/.package-lock.json" &&
        rm -rf "$store" &&
        mv "$saving" "$store"
    }; then
      rm -rf "$saving" 2> /dev/null
      return 1
    fi
    touch node_modules/.rehearse-linked
  fi
  touch "$store" 2> /dev/null
  ls -1dt "$cache"/*/ 2> /dev/null | tail -n +3 | xargs -r -d '\n' rm -rf
  return 0
}
if [ "$cache" != off ]; then
  keep_install || echo "[setup] could not keep node_modules in $cache; the install stands" >&2
fi
