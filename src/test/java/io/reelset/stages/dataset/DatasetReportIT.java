package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.StageRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset's report.html opened in a real headless browser (Debian chromium, installed by
 * scripts/install-test-tools.sh): its screenshot must show every identity's contact sheet.
 */
class DatasetReportIT {
  private static final StageRegistry REGISTRY = StageRegistry.discover();

  @TempDir Path dir;

  /** The colour test_assignments gives the crops of its n-th identity (1-based). */
  private static int colour(int n) {
    return n * 0x3f2a17 & 0xffffff;
  }

  @Test
  void theReportShowsEveryContactSheetAndTheFailures() throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, """
        name: report
        stages:
          - id: ids
            type: test_assignments
            config: {identities: {identity_001: 6, identity_002: 5, identity_003: 2}, broken: 1}
          - id: dataset
            type: training_data_prep
            depends_on: [ids]
            config: {min_images: 3, validation: 0, min_side: 0}
        """);
    io.reelset.testing.SpecRuns.run(spec, REGISTRY, dir.resolve("run"));
    Path out = dir.resolve("run/dataset");
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("data-identity=\"identity_001\"") && html.contains("data-identity=\"identity_002\""));
    assertTrue(html.contains("fewer than min_images (3)"), "identity_003 is listed as left out");
    assertTrue(html.contains("cannot write this image into the dataset"), "the failure is in the table");
    assertTrue(!html.contains("http://") && !html.contains("https://"), "self-contained: nothing fetched");
    JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
    assertEquals(1, stats.get("failures").get("dataset").asInt());

    Path shot = dir.resolve("report.png");
    Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--window-size=1200,1400", "--screenshot=" + shot,
        out.resolve("report.html").toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertTrue(chromium.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    assertTrue(Files.isRegularFile(shot), "no screenshot: " + Files.readString(dir.resolve("chromium.log")));
    BufferedImage image = ImageIO.read(shot.toFile());
    for (int n : List.of(1, 2)) {
      int pixels = count(image, colour(n));
      System.out.printf("report screenshot: %d pixels of identity_00%d's colour%n", pixels, n);
      assertTrue(pixels > 5 * 64 * 64 / 4, "identity_00" + n + "'s contact sheet is not on the screenshot");
    }
    assertEquals(0, count(image, colour(3)), "identity_003 was left out, so its colour must not show");
  }

  private static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 10
            && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 10
            && Math.abs((p & 0xff) - (rgb & 0xff)) <= 10) {
          n++;
        }
      }
    }
    return n;
  }
}
