package io.reelset.stages.clustering;

import io.reelset.kit.OutputFiles;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code clusters.json} into the stage's output directory (temporary name, then rename), and
 * beside it an {@code identities.yaml} to start from ({@link IdentitiesTemplate}).
 */
final class WriteReportFn extends DoFn<String, Void> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WriteReportFn.class);
  static final String FILE = "clusters.json";
  private final String stageId;
  private final String outputDir;

  WriteReportFn(String stageId, String outputDir) {
    this.stageId = stageId;
    this.outputDir = outputDir;
  }

  @ProcessElement
  public void process(@Element String report) throws Exception {
    OutputFiles.writeBytes(outputDir, FILE, report.getBytes(StandardCharsets.UTF_8));
    String template = IdentitiesTemplate.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(report));
    if (template != null) {
      OutputFiles.writeBytes(outputDir, IdentitiesTemplate.FILE, template.getBytes(StandardCharsets.UTF_8));
    }
    if (report.contains("\"crops\" : 0,")) {
      LOG.warn("stage '{}': no crops to cluster; wrote an empty cluster report", stageId);
    }
  }
}
