# Sourced by scripts/reelset and the benchmarks that run as it does: the JIT settings of reelset's JVM.
# The quick compiler alone (C1, -XX:TieredStopAtLevel=1). reelset's heavy work is native (FFmpeg,
# ONNX Runtime); what the JVM compiles is mostly code that runs at the start and never again, and
# with the optimising compiler (C2) behind it, C1 compiles some 3,200 methods with profiling code
# first (0.74 s of compiling in a 1 s clip's run of 2.3-2.6 CPU s; -XX:+CITime). Alternating runs on 2 cores, 2026-12-06: a 1 s clip
# 2.56 -> 1.92 CPU s; the quickstart 83.1 -> 81.0 CPU s (3 runs each); frame extraction of the
# 24-minute episode 72.0 -> 70.2 CPU s (3 each) and the whole main job on it 743/682 -> 735/673 CPU s
# (2 each, shots) — the same or less everywhere. What C2 does better is the clustering's arithmetic
# at scale: its summary of 10,000 palette embeddings (2,592 dims) 4.5 -> 5.2 s, of 100,000 39 -> 47 s
# (ClusteringBench). A corpus of a hundred thousand crops or more: REELSET_JAVA_OPTS=-XX:TieredStopAtLevel=4.
# Until 2026-12-06 the launcher ran both compilers, C2 only for code 30 times hotter than the JVM's
# default (-XX:Tier4...Threshold; at the default C2 spent 3 of a 1 s clip's 6.4 CPU s).
jit=(-XX:TieredStopAtLevel=1)
