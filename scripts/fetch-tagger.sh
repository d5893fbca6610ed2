#!/usr/bin/env bash
# Downloads SmilingWolf's WD SwinV2 tagger v3 (Apache-2.0) from Hugging Face into models/tagger/,
# where stage tagging finds it without configuration, and checks both files' SHA-256. Needs a
# machine that can reach huggingface.co (the build machines of this project cannot: their tests
# run the tagger code on a small model they build themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
base=https://huggingface.co/SmilingWolf/wd-swinv2-tagger-v3/resolve/main
mkdir -p models/tagger
declare -A sha=(
  [model.onnx]=e6774bff34d43bd49f75a47db4ef217dce701c9847b546523eb85ff6dbba1db1
  [selected_tags.csv]=298633d94d0031d2081c0893f29c82eab7f0df00b08483ba8f29d1e979441217
)
for file in model.onnx selected_tags.csv; do
  target=models/tagger/$file
  if [ ! -f "$target" ] || ! echo "${sha[$file]}  $target" | sha256sum -c --status; then
    echo "fetch-tagger: downloading $file" >&2
    curl -fL --retry 3 -o "$target.part" "$base/$file"
    mv "$target.part" "$target"
  fi
  if ! echo "${sha[$file]}  $target" | sha256sum -c --status; then
    echo "fetch-tagger: $target does not have the SHA-256 ${sha[$file]}; delete it and try again" >&2
    exit 1
  fi
done
echo "fetch-tagger: models/tagger/ holds wd-swinv2-tagger-v3; stage tagging uses it" >&2
