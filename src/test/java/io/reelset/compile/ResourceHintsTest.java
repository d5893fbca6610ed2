package io.reelset.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.spec.ResourceSpec;
import java.util.List;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.junit.jupiter.api.Test;

/** Every memory size reelset accepts, Beam accepts too, with the same number of bytes. */
class ResourceHintsTest {

  @Test
  void memorySizesMatchBeamsOwnParser() {
    for (String size : List.of("4GiB", "512MiB", "8GB", "1.5GiB", "100KB", "3TiB", "2 GiB", "7B")) {
      long ours = ResourceSpec.parseSize(size);
      assertEquals(ResourceHints.create().withMinRam(size), ResourceHints.create().withMinRam(ours), size);
    }
    // a bare number is bytes; the compiler hands Beam the byte count, never the text
    assertEquals(1_000_000, ResourceSpec.parseSize("1000000"));
    assertEquals(-1, ResourceSpec.parseSize("lots"));
    assertEquals(-1, ResourceSpec.parseSize("4 gigs"));
  }
}
