package io.reelset.stages.dataset;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of an empty dataset says so at its top, with the setting to change. */
class DatasetReportTest {
  @TempDir Path dir;

  private DatasetSettings settings() {
    return io.reelset.spec.ConfigSchema.defaults(DatasetConfig.class, java.util.Map.of("min_images", 3L,
        "max_images", 100L, "max_side", 512L)).settings("dataset", dir.toString());
  }

  @Test
  void noIdentityAtAllNamesTheClusteringsSetting() throws Exception {
    String html = DatasetReport.html(List.of(), List.of(), new FailureDigest(), List.of(), settings(), null);
    assertThat(html, containsString("THE DATASET IS EMPTY: clustering found no identity (every crop was noise, or no"
        + " character was found); lower the clustering's min_cluster_size, or sample more frames"));
  }

  @Test
  void identitiesTooSmallNameMinImages() throws Exception {
    List<DatasetFns.IdentitySummary> dropped = List.of(new DatasetFns.IdentitySummary("identity_001", "identity_001",
        "identity_001", 2, 0, 0, "fewer than min_images (3)"));
    String html = DatasetReport.html(List.of(), dropped, new FailureDigest(), List.of(), settings(), null);
    assertThat(html, containsString("THE DATASET IS EMPTY: no identity had enough images (min_images, now 3); lower it"));
  }
}
