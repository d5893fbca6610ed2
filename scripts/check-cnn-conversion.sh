#!/usr/bin/env bash
# Runs the original TF.js model of the CNN embedder (npm nsfwjs@4.4.0, mobilenet_v2_mid) with
# @tensorflow/tfjs on fixed inputs and writes its outputs to
# src/test/resources/cnn/mobilenet-v2-reference.json, which CnnEmbedderIT compares the converted
# ONNX model (scripts/fetch-models.sh cnn) with. Run it by hand when the converter or the package
# changes; it needs the npm registry (@tensorflow/tfjs is about 300 MB installed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/npm"
tfjs="$cache/tfjs"
mkdir -p "$tfjs"
if [ ! -d "$tfjs/node_modules/@tensorflow/tfjs" ]; then
  (cd "$tfjs" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @tensorflow/tfjs@4.22.0)
fi
tgz="$cache/nsfwjs-4.4.0.tgz"
[ -f "$tgz" ] || "$root/scripts/fetch-models.sh" cnn
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tgz" -C "$work"
dir="$work/package/dist/models/mobilenet_v2_mid"
mkdir -p "$root/src/test/resources/cnn"
node "$root/scripts/convert/tfjs-reference.js" "$tfjs" "$dir/model.min.js" "$dir/group1-shard1of2.min.js" \
  "$dir/group1-shard2of2.min.js" "$root/src/test/resources/cnn/mobilenet-v2-reference.json"
