#!/usr/bin/env bash
# The identity benchmark: how well the clustering stage finds the characters of labelled sets —
# real footage whose crops are labelled by hand (Planet Blupi's clips, Fish Fillets' intro, and
# Planet Blupi's other clips, held out from every default: src/test/resources/identity/*.tsv)
# and composites of character art — for the palette, the CNN and both together, each with and
# without shot-aware tracks. Prints ARI, purity, identities, noise and the non-character crops
# given an identity, per set, and each variant's mean ARI over the sets the defaults were chosen
# on (the held-out set apart).
#
#   scripts/bench-identity.sh                       every variant
#   scripts/bench-identity.sh "palette, tracks"     one variant by name
#   scripts/bench-identity.sh "mine={embedder: palette, tracks: {max_distance: 0.8}}"   a config of yours
#
# The real clips are cut into crops once (ISNet, about 2 minutes on 2 cores) and kept under
# target/identity-crops; delete that folder after changing segmentation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/fetch-media.sh >/dev/null
scripts/fetch-models.sh medium cnn >/dev/null
mvn -B -q test-compile
args="$root/target/bench-classpath.args"
# the class path goes in an argument file: ONNX Runtime crashes a JVM whose command line is long
echo "-Xss4m -cp $root/target/classes:$root/target/test-classes:$(mvn -B -q dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" > "$args"
echo "identity benchmark, $(nproc) cores"
java @"$args" io.reelset.stages.clustering.IdentityBenchmark "$@" 2>&1 | grep -v '^SLF4J\|^INFO\|HdbscanTrainer'
