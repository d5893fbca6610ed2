# Sourced by the scripts that check reelset's frames against FFmpeg's (check-telecine.sh,
# check-deinterlace.sh), from the repository root.
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
