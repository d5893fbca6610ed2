#!/usr/bin/env bash
# Checks how HDR video (HDR10: PQ transfer, BT.2020 colours, as on UHD Blu-ray rips of animated
# films) comes out. Makes two fetched clips HDR10 with Debian's ffmpeg — the cockatoo (live action,
# 1280x720) and Fish Fillets' intro (CG cartoon, 640x480), 5 s each: SDR white at 100 nits, PQ,
# BT.2020, 10-bit HEVC (x265) with a content light level of 1000 nits, as a film's metadata says —
# saves every frame with reelset (sampling every_n 1, PNG), and compares each saved frame (luma
# PSNR, ffmpeg's psnr filter) with ffmpeg's own tone mapping of the same frame (zscale to linear
# light, BT.709 primaries, tonemap with Hable's curve, BT.709: the chain FFmpeg's documentation
# gives) and, for comparison, the frame's PQ code values read as if they were BT.709's (how
# reelset read HDR until 2026-12-05) with the same.
#
#   scripts/check-hdr.sh     prints per clip the frames and the mean and lowest PSNR of each
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/every-frame.sh

tonemap="zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
for clip in media/videos/cockatoo.mp4 media/clips/fillets/intro.mpg; do
  name=$(basename "$clip" | sed 's/\..*//')
  dir="$work/$name"
  mkdir -p "$dir/ffmpeg" "$dir/naive"
  start=0
  [ "$name" = intro ] && start=64 # the fish at their table
  ffmpeg -v error -ss "$start" -t 5 -i "$clip" -an \
    -vf "setparams=color_trc=bt709:color_primaries=bt709:colorspace=bt709:range=tv,zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt2020:t=smpte2084:m=bt2020nc:r=tv,format=yuv420p10le" \
    -c:v libx265 -crf 16 -x265-params \
    "log-level=error:hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:max-cll=1000,400:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)" \
    "$dir/hdr10.mkv"
  frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$dir/hdr10.mkv" | head -1)
  ffmpeg -v error -i "$dir/hdr10.mkv" -vf "$tonemap" -vsync 0 "$dir/ffmpeg/%04d.png"
  # the code values as BT.709's: BT.2020's matrix undone, nothing else
  ffmpeg -v error -i "$dir/hdr10.mkv" -vf "scale=in_color_matrix=bt2020:in_range=tv,format=rgb24" -vsync 0 "$dir/naive/%04d.png"
  saved=$(save_every_frame "$dir/hdr10.mkv" "$dir")
  if [ "$saved" -ne "$frames" ]; then
    echo "$name: $frames frames, $saved saved by reelset: compared in order" >&2
  fi
  compare "$dir/reelset-ffmpeg.txt" -i "$dir/seq/%04d.png" -i "$dir/ffmpeg/%04d.png"
  compare "$dir/naive-ffmpeg.txt" -i "$dir/naive/%04d.png" -i "$dir/ffmpeg/%04d.png"
  echo "$name HDR10: against ffmpeg's tone mapping: reelset $(summary "$dir/reelset-ffmpeg.txt"); read as BT.709" \
    "$(summary "$dir/naive-ffmpeg.txt")"
done
