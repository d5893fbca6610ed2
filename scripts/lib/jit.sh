# Sourced by scripts/reelset and the benchmarks that run as it does: the JIT settings of reelset's JVM.
# The optimising compiler (C2) only for code 30 times hotter than the JVM's default: at the default
# it spent 3 of the 6.4 CPU s of a 1 s clip's run compiling code that had run its course. Start:
# 3.5 s, 6.4 CPU s -> 2.4-2.9 s, 3.9-4.6 CPU s; the clustering's arithmetic still reaches C2 (100k
# embeddings: 24.6 s either way; C1 alone, -XX:TieredStopAtLevel=1, 28.3 s).
jit=(-XX:Tier4InvocationThreshold=150000 -XX:Tier4MinInvocationThreshold=18000 -XX:Tier4CompileThreshold=450000
  -XX:Tier4BackEdgeThreshold=1200000)
