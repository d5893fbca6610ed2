#!/usr/bin/env bash
# Fetches the example and test videos from Debian packages into media/ (ignored by git),
# checking every file's SHA-256. Idempotent: files already present and correct are kept.
#
#   file                  package           licence      what
#   media/cockatoo.mp4    python3-imageio   BSD-2-Clause live action, H.264 1280x720, 14 s
#   media/tupi-example.avi tupi-data        GPL-2+       2D vector cartoon, MPEG-4 520x380, 10 s
#   media/small_movie.mp4 afl++-doc         Apache-2.0   12-frame H.264 48x144 fuzzing seed
#   media/art/*           renpy-thequestion Expat        anime-style sprites (RGBA: alpha is the exact
#                                                        mask) and 1280x720 backgrounds
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
  "art/sylvie-green-normal.png|renpy-thequestion|usr/share/games/renpy/the_question/game/images/sylvie green normal.png|11ede0da6903e143ba738383ca566d9d8564460cbe1246c1bd72f29b31acba43"
  "art/sylvie-blue-giggle.png|renpy-thequestion|usr/share/games/renpy/the_question/game/images/sylvie blue giggle.png|1a21c22446daeabb246bc34c9fc7f87e21cff526bbdc9935fc6e7ba1a56ee056"
  "art/sylvie-green-smile.png|renpy-thequestion|usr/share/games/renpy/the_question/game/images/sylvie green smile.png|4ec6422810f2910267c2ae2d2e479e45de426b76ef63c04f75e7e36dc5d1b8f4"
  "art/sylvie-blue-surprised.png|renpy-thequestion|usr/share/games/renpy/the_question/game/images/sylvie blue surprised.png|b8a6e923df0f081ef40cd997213e8f0fc5e0e71c284edbbc28cf26ec33b64c6d"
  "art/bg-meadow.jpg|renpy-thequestion|usr/share/games/renpy/the_question/game/images/bg meadow.jpg|c6d77eb070edb21658d66d5db5bc1578a535437ff9f9cbb34baf4d2ce46cb2a6"
  "art/bg-uni.jpg|renpy-thequestion|usr/share/games/renpy/the_question/game/images/bg uni.jpg|f1198e9a72940a65bfded78cbf6603a8366afbc6423940260ea86cfcf6050390"
  "art/bg-club.jpg|renpy-thequestion|usr/share/games/renpy/the_question/game/images/bg club.jpg|e7452b6f41d9ecdaf6d3001b3509b561ad09d1109990f0f2eb47e28069bf3475"
  "art/bg-lecturehall.jpg|renpy-thequestion|usr/share/games/renpy/the_question/game/images/bg lecturehall.jpg|d8f477d6022ec8d409985e6d6c4a9dfc03f8671b98caaa587c134ba3f24fb915"
)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
updated=0
for entry in "${files[@]}"; do
  IFS='|' read -r name package inside sha <<<"$entry"
  target="$media/$name"
  mkdir -p "$(dirname "$target")"
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
  if [ ! -d "$extract" ]; then
    mkdir -p "$extract.part" && dpkg-deb -x "$deb" "$extract.part" && mv "$extract.part" "$extract"
  fi
  cp "$extract/$inside" "$target.tmp"
  if ! echo "$sha  $target.tmp" | sha256sum -c --quiet -; then
    rm -f "$target.tmp"
    echo "fetch-media: $name from $package has the wrong SHA-256 (expected $sha)" >&2
    exit 1
  fi
  mv "$target.tmp" "$target"
  echo "fetch-media: $target"
done
rm -rf "$cache"/x-*
