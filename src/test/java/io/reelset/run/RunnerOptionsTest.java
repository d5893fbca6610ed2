package io.reelset.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;

class RunnerOptionsTest {
  @Test
  void theDirectRunnerGetsAWorkerPerCoreAndNoChecksUnlessTheUserSaysOtherwise() {
    DirectOptions defaults = RunnerOptions.parse(List.of(), "job").as(DirectOptions.class);
    assertEquals(Runtime.getRuntime().availableProcessors(), defaults.getTargetParallelism());
    assertFalse(defaults.isEnforceImmutability());
    assertFalse(defaults.isEnforceEncodability());
    assertEquals("job", defaults.getJobName());

    DirectOptions given = RunnerOptions.parse(List.of("--targetParallelism=5", "--enforceImmutability=true",
        "--jobName=mine"), "job").as(DirectOptions.class);
    assertEquals(5, given.getTargetParallelism());
    assertEquals(true, given.isEnforceImmutability());
    assertEquals("mine", given.getJobName());
  }
}
