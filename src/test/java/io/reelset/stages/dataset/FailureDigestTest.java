package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.values.Failure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The run's failure digest: its coder gives equal bytes for the same failures in any order. */
class FailureDigestTest {
  @Test
  void digestsOfTheSameFailuresEncodeAlikeInAnyOrder() throws Exception {
    List<Failure> failures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      failures.add(new Failure(i % 3 == 0 ? "frames" : "characters", "item-" + i, "error " + i % 7, ""));
    }
    FailureDigest inOrder = new FailureDigest();
    failures.forEach(inOrder::add);
    Collections.shuffle(failures, new java.util.Random(7));
    FailureDigest left = new FailureDigest();
    FailureDigest right = new FailureDigest();
    for (int i = 0; i < failures.size(); i++) {
      (i % 2 == 0 ? left : right).add(failures.get(i));
    }
    FailureDigest merged = new FailureDigest.Fn().mergeAccumulators(List.of(right, left));
    FailureDigest.DigestCoder coder = new FailureDigest.DigestCoder();
    CoderProperties.coderSerializable(coder);
    assertArrayEquals(CoderUtils.encodeToByteArray(coder, inOrder), CoderUtils.encodeToByteArray(coder, merged));
    FailureDigest decoded = CoderUtils.clone(coder, merged);
    assertEquals(merged.byStage, decoded.byStage);
    assertEquals(merged.firstRows(), decoded.firstRows());
    assertEquals(500, decoded.total());
    CoderProperties.coderDeterministic(coder, inOrder, merged);
  }
}
