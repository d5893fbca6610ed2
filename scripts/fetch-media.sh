#!/usr/bin/env bash
# Fetches the example and test media from Debian packages into media/ (ignored by git),
# checking every file's SHA-256 against scripts/media.manifest, which also names each file's
# package and licence. Idempotent: files already present and correct are kept.
#
#   media/quickstart/*.mkv  planetblupi-common  the main job's corpus: 3D cartoon clips (Blupi, a
#                                              robot, a spider), 320x240, 5-12 s
#   media/videos/cockatoo.mp4 python3-imageio   live action, H.264 1280x720, 14 s
#   media/videos/tupi-example.avi tupi-data         2D vector cartoon, MPEG-4 520x380, 10 s
#   media/videos/small_movie.mp4 afl++-doc         12-frame H.264 48x144 fuzzing seed
#   media/art/*              renpy-*           anime-style sprites (RGBA: alpha is the exact
#                                              mask) and backgrounds
#   media/labelled/<id>/     renpy-*, wesnoth-1.16-data  character art by identity (clustering)
#   media/clips/<set>/       planetblupi-common, fillets-ng-data  real character footage, labelled
#                                              by hand (identity benchmark)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
media="$root/media"
cache="$root/.cache/debs"
mkdir -p "$media" "$cache"

# Reads scripts/media.manifest: one line per file, "target|package|path inside|sha256".
manifest="$root/scripts/media.manifest"
mapfile -t files < <(grep -v '^#' "$manifest" | grep -v '^$')

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
