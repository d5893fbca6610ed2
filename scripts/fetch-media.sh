#!/usr/bin/env bash
# Fetches the example and test videos from Debian packages into media/ (ignored by git),
# checking every file's SHA-256. Idempotent: files already present and correct are kept.
#
#   file                  package           licence      what
#   media/cockatoo.mp4    python3-imageio   BSD-2-Clause live action, H.264 1280x720, 14 s
#   media/tupi-example.avi tupi-data        GPL-2+       2D vector cartoon, MPEG-4 520x380, 10 s
#   media/small_movie.mp4 afl++-doc         Apache-2.0   12-frame H.264 48x144 fuzzing seed
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
media="$root/media"
cache="$root/.cache/debs"
mkdir -p "$media" "$cache"

# name|package|path inside the package|sha256
files=(
  "cockatoo.mp4|python3-imageio|usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4|5fde35f5a288ca86e216d2dc28188ab64b4560d3021f273faefdf0de80f38aa5"
  "tupi-example.avi|tupi-data|usr/share/tupi/data/help/examples/example.avi|316af42c4ec7c1d3bb83830175e339b96194d62c8aa364934187722a71da2432"
  "small_movie.mp4|afl++-doc|usr/share/doc/afl++-doc/afl/testcases/multimedia/h264/small_movie.mp4|776187c861620a13e3599f0b28fd9e3e9e19ba19ea7d2959d66a8e1a132f069f"
)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
updated=0
for entry in "${files[@]}"; do
  IFS='|' read -r name package inside sha <<<"$entry"
  target="$media/$name"
  if [ -f "$target" ] && echo "$sha  $target" | sha256sum -c --quiet - 2>/dev/null; then
    continue
  fi
  deb=$(ls "$cache/${package}"_*.deb 2>/dev/null | head -n 1 || true)
  if [ -z "$deb" ]; then
    if [ "$updated" -eq 0 ]; then
      sudo_if_needed apt-get update -qq >/dev/null
      updated=1
    fi
    (cd "$cache" && apt-get download -qq "$package" 2>/dev/null)
    deb=$(ls "$cache/${package}"_*.deb | head -n 1)
  fi
  extract="$cache/x-$package"
  rm -rf "$extract" && mkdir -p "$extract"
  dpkg-deb -x "$deb" "$extract"
  cp "$extract/$inside" "$target.tmp"
  if ! echo "$sha  $target.tmp" | sha256sum -c --quiet -; then
    rm -f "$target.tmp"
    echo "fetch-media: $name from $package has the wrong SHA-256 (expected $sha)" >&2
    exit 1
  fi
  mv "$target.tmp" "$target"
  rm -rf "$extract"
  echo "fetch-media: $target"
done
