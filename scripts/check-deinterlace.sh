#!/usr/bin/env bash
# Checks how video that is interlaced through and through (each field its own moment: TV captures,
# DVDs of video) comes out. Interlaces two fetched clips with Debian's ffmpeg — the cockatoo
# (live action, 1280x720, 20 fps) and Fish Fillets' intro (CG cartoon, 640x480, 30 fps): each
# frame's top field from one source frame, its bottom field from the next (tinterlace
# interleave_top), top field first, interlaced MPEG-2 at q 2 as on a DVD — saves every frame with
# reelset (sampling every_n 1, PNG), and compares each saved frame with the source frame its top
# field came from (luma PSNR, ffmpeg's psnr filter): the moment a deinterlacer that keeps the first
# field shows. For comparison, the same for the top field alone stretched to the frame's height
# (ffmpeg's field and scale filters, bicubic), which is how reelset read such frames until
# 2026-12-05, and for ffmpeg's own bwdif.
#
#   scripts/check-deinterlace.sh     prints per clip the frames and the mean and lowest PSNR of each
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/every-frame.sh

for clip in media/videos/cockatoo.mp4 media/clips/fillets/intro.mpg; do
  name=$(basename "$clip" | sed 's/\..*//')
  dir="$work/$name"
  mkdir -p "$dir/truth"
  # 10 s; the interlaced frames are labelled 25 fps, which MPEG-2 takes (their content is unchanged)
  ffmpeg -v error -t 10 -i "$clip" -an -vf "tinterlace=mode=interleave_top,setfield=tff,setpts=N/25/TB" -r 25 \
    -flags +ilme+ildct -top 1 -c:v mpeg2video -q:v 2 "$dir/interlaced.mpg"
  # frame by frame: as many saved frames as source frames, or the comparison is off
  frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$dir/interlaced.mpg" | head -1)
  ffmpeg -v error -t 10 -i "$clip" -an -vf "select='not(mod(n\,2))'" -vsync 0 "$dir/truth/%04d.png"
  saved=$(save_every_frame "$dir/interlaced.mpg" "$dir")
  truth=$(find "$dir/truth" -name '*.png' | wc -l)
  if [ "$saved" -ne "$frames" ] || [ "$truth" -ne "$frames" ]; then
    echo "$name: $frames interlaced frames, $saved saved by reelset, $truth source frames: compared in order" >&2
  fi
  compare "$dir/reelset.txt" -i "$dir/seq/%04d.png" -i "$dir/truth/%04d.png"
  ffmpeg -v error -i "$dir/interlaced.mpg" -vf "field=top,scale=iw:ih*2:flags=bicubic" -vsync 0 "$dir/one-%04d.png"
  compare "$dir/one.txt" -i "$dir/one-%04d.png" -i "$dir/truth/%04d.png"
  ffmpeg -v error -i "$dir/interlaced.mpg" -vf "bwdif=mode=send_frame:parity=tff" -vsync 0 "$dir/bwdif-%04d.png"
  compare "$dir/bwdif.txt" -i "$dir/bwdif-%04d.png" -i "$dir/truth/%04d.png"
  echo "$name interlaced: reelset $(summary "$dir/reelset.txt"); one field stretched $(summary "$dir/one.txt");" \
    "ffmpeg bwdif $(summary "$dir/bwdif.txt")"
done
