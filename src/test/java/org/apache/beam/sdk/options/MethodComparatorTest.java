package org.apache.beam.sdk.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.junit.jupiter.api.Test;

/**
 * reelset's stand-in for Beam's {@code PipelineOptionsFactory.MethodComparator} is the one
 * PipelineOptionsFactory uses, and orders methods as Beam's does.
 */
class MethodComparatorTest {
  @Test
  void theOptionsFactorySortsWithReelsetsComparator() throws Exception {
    PipelineOptionsFactory.fromArgs("--targetParallelism=3").withValidation().as(DirectOptions.class);
    // Beam's nested class has no such method: this is reelset's, and the factory has used it
    assertThat((Integer) comparator().getDeclaredMethod("signatures").invoke(null), greaterThan(100));
  }

  /**
   * The comparator the factory links to, by name: javac cannot compile a reference to a top-level
   * class named like a nested class of a class file it reads (see pom.xml).
   */
  private static Class<?> comparator() throws ClassNotFoundException {
    return Class.forName(PipelineOptionsFactory.class.getName() + "$MethodComparator");
  }

  @Test
  @SuppressWarnings("unchecked")
  void itOrdersMethodsAsBeamsComparatorDoes() throws Exception {
    List<Method> methods = new ArrayList<>(Arrays.asList(DirectOptions.class.getMethods()));
    methods.addAll(Arrays.asList(org.apache.beam.runners.flink.FlinkPipelineOptions.class.getMethods()));
    List<Method> beams = new ArrayList<>(methods);
    beams.sort(Comparator.comparing(Method::toGenericString)); // Beam 2.70.0's compare, verbatim
    List<Method> ours = new ArrayList<>(methods);
    ours.sort((Comparator<Method>) comparator().getDeclaredField("INSTANCE").get(null));
    assertEquals(beams, ours);
    assertThat(ours.size(), greaterThan(100));
  }

  @Test
  void itStandsInForTheBeamVersionItWasWrittenFor() {
    assertEquals("2.70.0", ReleaseInfo.getReleaseInfo().getVersion(),
        "Beam's version changed: compare PipelineOptionsFactory.MethodComparator with"
            + " src/main/java/org/apache/beam/sdk/options/MethodComparator.java, then change this version");
  }
}
