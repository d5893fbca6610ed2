# Sourced by the scripts that check reelset's frames against FFmpeg's (check-telecine.sh, check-hdr.sh,
# check-deinterlace.sh), from the repository root: fetches the media, and makes $work, a folder
# removed when the script exits.
scripts/fetch-media.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# compare STATS FFMPEG-INPUTS...: luma PSNR of two frame sequences, frame by frame in order, into
# the psnr filter's stats file STATS (the inputs as ffmpeg takes them: -i A [-start_number N] -i B)
compare() {
  local stats="$1"
  shift
  ffmpeg -v error "$@" \
    -lavfi "[0:v]format=yuv444p,setpts=N[a];[1:v]format=yuv444p,setpts=N[b];[a][b]psnr=stats_file=$stats" -f null -
}

# summary STATS: "N frames, mean M dB, lowest L dB, U under 40 dB" of a psnr stats file
summary() {
  awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^psnr_y:/) { v = substr($i, 8); if (v == "inf") v = 99; v += 0;
    n++; s += v; if (n == 1 || v < lo) lo = v; if (v < 40) under++ } }
    END { printf "%d frames, mean %.1f dB, lowest %.1f dB, %d under 40 dB", n, s / n, lo, under + 0 }' "$1"
}
#
# save_every_frame VIDEO DIR: saves every frame of VIDEO with reelset (frame extraction, sampling
# every_n 1, PNG) under DIR/runs, and links the saved frames in order as DIR/seq/0001.png, ...;
# prints how many were saved. Exits with the run's log when the run fails.
save_every_frame() {
  local video="$1" dir="$2" i=1 f
  mkdir -p "$dir/seq"
  cat > "$dir/all.yaml" <<YAML
name: every-frame
stages:
  - id: frames
    type: frame_extraction
    config:
      input: $video
      sampling: {mode: every_n, n: 1}
      image: {format: png}
      save: true
YAML
  scripts/reelset run "$dir/all.yaml" --runs-dir "$dir/runs" --run-id r >"$dir/run.log" 2>&1 || { cat "$dir/run.log" >&2; exit 1; }
  for f in $(find "$dir/runs" -name '*.png' | sort); do
    ln -s "$f" "$dir/seq/$(printf %04d $i).png"
    i=$((i + 1))
  done
  echo $((i - 1))
}
