package io.reelset.stages.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.values.DatasetRecord;
import io.reelset.values.Failure;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code report.html}: one self-contained page (thumbnails inlined as data URIs, no script, no
 * network) to review a dataset before training: totals, a contact sheet per identity, the
 * identities left out, the cluster report and the run's failures.
 */
final class DatasetReport {
  /** Thumbnails per identity on the page. */
  static final int THUMBNAILS = 48;
  static final int THUMB_HEIGHT = 96;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetReport() {}

  static String html(List<DatasetRecord> unsorted, List<DatasetFns.IdentitySummary> summaries, FailureDigest failures,
      List<String> problems, DatasetSettings settings, String clusterReport) throws IOException {
    List<DatasetRecord> records = new ArrayList<>(unsorted);
    records.sort(Comparator.comparing(DatasetRecord::file));
    Map<String, List<DatasetRecord>> byIdentity = new LinkedHashMap<>();
    for (DatasetRecord r : records) {
      String group = DatasetSettings.apart(r.split()) ? r.split() : r.identity();
      byIdentity.computeIfAbsent(group, k -> new ArrayList<>()).add(r);
    }
    long train = records.stream().filter(r -> r.split().equals("train")).count();
    long validation = records.stream().filter(r -> r.split().equals("validation")).count();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>reelset dataset report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:24px;background:#fafafa;color:#222}")
        .append("h2{margin-top:32px}.sheet{display:flex;flex-wrap:wrap;gap:4px;margin:8px 0 16px}")
        .append(".sheet img{height:").append(THUMB_HEIGHT).append("px;border:1px solid #ccc;background:#fff}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;")
        .append("font-size:13px}.identity{background:#fff;border:1px solid #ddd;padding:8px 12px;margin:12px 0}")
        .append("</style></head><body>\n");
    h.append("<h1>Dataset report</h1>\n<p id=\"totals\">").append(esc(settings.format())).append(" layout in <code>")
        .append(esc(settings.outputDir())).append("</code>: ").append(train).append(" training and ")
        .append(validation).append(" validation images of ")
        .append(byIdentity.values().stream().filter(g -> !DatasetSettings.apart(g.get(0).split())).count())
        .append(" identities; ")
        .append(failures.total()).append(" failures in the run.</p>\n");
    long tooSmall = summaries.stream().mapToLong(DatasetFns.IdentitySummary::small).sum();
    if (train + validation == 0) {
      boolean anyIdentity = summaries.stream().anyMatch(x -> !x.identity().equals("noise"));
      h.append("<p id=\"empty\" style=\"background:#fdd;border:2px solid #c00;padding:8px 12px;font-weight:bold\">")
          .append("THE DATASET IS EMPTY: ").append(anyIdentity
              ? "no identity had enough images (min_images, now " + settings.minImages() + (tooSmall > 0
                  ? "; " + tooSmall + " crops were too small to train on, min_side, now " + settings.minSide() + " px"
                  : "") + "); lower it"
              : "clustering found no identity (every crop was noise, or no character was found); lower the"
                  + " clustering's min_cluster_size, or sample more frames")
          .append(". The clusters and the failures below say more.</p>\n");
    }
    if (!problems.isEmpty()) {
      h.append("<div id=\"check\" style=\"background:#fdd;border:2px solid #c00;padding:8px 12px\"><b>check-dataset: ")
          .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
          .append(" the trainer would meet</b><ul>");
      problems.forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
      h.append("</ul></div>\n");
    }
    h.append("<h2>Identities</h2>\n");
    Map<String, DatasetFns.IdentitySummary> summaryOf = new LinkedHashMap<>();
    summaries.forEach(x -> summaryOf.put(x.identity(), x));
    for (Map.Entry<String, List<DatasetRecord>> e : byIdentity.entrySet()) {
      List<DatasetRecord> list = e.getValue();
      DatasetRecord first = list.get(0);
      boolean apart = DatasetSettings.apart(first.split());
      h.append("<div class=\"identity\" data-identity=\"").append(esc(e.getKey())).append("\"><h3>")
          .append(e.getKey().equals("noise") ? "noise (kept apart, not in the dataset)"
              : e.getKey().equals(DatasetFns.REG) ? "regularisation: frames without characters (is_reg, class "
                  + esc(settings.regClassTokens()) + ")"
              : e.getKey().equals("small") ? "too small (shorter side under " + settings.minSide()
                  + " px; kept apart, not in the dataset)"
              : esc(first.name()) + " <small>(" + esc(e.getKey()) + ", trigger <code>" + esc(first.trigger())
                  + "</code>)</small>")
          .append("</h3><p>").append(list.size()).append(" images");
      if (!apart) {
        h.append(", ").append(list.stream().filter(r -> r.split().equals("train")).count()).append(" for training")
            .append(" × ").append(first.repeats()).append(" repeats");
        DatasetFns.IdentitySummary summary = summaryOf.get(e.getKey());
        if (summary != null && summary.small() > 0) {
          h.append("; ").append(summary.small()).append(" crops too small to train on");
        }
        if (summary != null && !summary.prunedTags().isEmpty()) {
          h.append("</p><p class=\"core\">the trigger absorbs: ").append(esc(String.join(", ", summary.prunedTags())))
              .append(" <small>(its core tags, left out of its captions)</small>");
        }
      }
      h.append("</p><div class=\"sheet\">");
      for (DatasetRecord r : list.subList(0, Math.min(THUMBNAILS, list.size()))) {
        String thumb = thumbnail(Path.of(settings.outputDir()).resolve(r.file()));
        if (thumb != null) {
          h.append("<img alt=\"").append(esc(r.file())).append("\" title=\"").append(esc(r.caption()))
              .append("\" src=\"data:image/jpeg;base64,").append(thumb).append("\">");
        }
      }
      h.append("</div></div>\n");
    }
    List<DatasetFns.IdentitySummary> dropped = summaries.stream()
        .filter(s -> s.dropped() != null && !s.identity().equals("noise"))
        .sorted(Comparator.comparing(DatasetFns.IdentitySummary::identity)).toList();
    if (!dropped.isEmpty()) {
      h.append("<h2>Left out</h2>\n<table><tr><th>identity</th><th>crops</th><th>why</th></tr>\n");
      for (DatasetFns.IdentitySummary s : dropped) {
        h.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(s.candidates()).append("</td><td>")
            .append(esc(s.dropped())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    clusters(h, clusterReport);
    h.append("<h2>Failures</h2>\n");
    if (failures.total() == 0) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<table id=\"failures\"><tr><th>stage</th><th>failures</th></tr>\n");
      failures.byStage.forEach((stage, n) -> h.append("<tr><td>").append(esc(stage)).append("</td><td>").append(n)
          .append("</td></tr>\n"));
      h.append("</table>\n<table><tr><th>stage</th><th>item</th><th>error</th><th>cause</th></tr>\n");
      for (Failure f : failures.firstRows()) {
        h.append("<tr><td>").append(esc(f.stageId())).append("</td><td>").append(esc(f.itemKey()))
            .append("</td><td>").append(esc(f.error())).append("</td><td>").append(esc(f.cause())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void clusters(StringBuilder h, String clusterReport) {
    if (clusterReport == null || !Files.isRegularFile(Path.of(clusterReport))) {
      return;
    }
    try {
      JsonNode report = JSON.readTree(Path.of(clusterReport).toFile());
      h.append("<h2>Clusters</h2>\n<p>").append(report.path("crops").asLong()).append(" crops, ")
          .append(report.path("identities").asLong()).append(" identities, ").append(report.path("noise").asLong())
          .append(" noise; silhouette ").append(esc(report.path("silhouette").asText())).append(".</p>\n")
          .append("<table><tr><th>id</th><th>source</th><th>size</th><th>mean distance</th><th>nearest</th>")
          .append("<th>exemplars</th></tr>\n");
      for (JsonNode c : report.path("clusters")) {
        h.append("<tr><td>").append(esc(c.path("id").asText())).append("</td><td>").append(esc(c.path("source").asText()))
            .append("</td><td>").append(c.path("size").asLong()).append("</td><td>")
            .append(esc(c.path("mean_distance").asText())).append("</td><td>")
            .append(esc(c.path("nearest").path("id").asText())).append(" ")
            .append(esc(c.path("nearest").path("distance").asText())).append("</td><td>");
        c.path("exemplars").forEach(x -> h.append(esc(x.asText())).append("<br>"));
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
    } catch (IOException e) {
      h.append("<p>The cluster report ").append(esc(clusterReport)).append(" cannot be read: ")
          .append(esc(e.getMessage())).append("</p>\n");
    }
  }

  /** A JPEG thumbnail of the image, base64, or null if it cannot be read. */
  static String thumbnail(Path image) {
    try {
      BufferedImage source = ImageIO.read(image.toFile());
      if (source == null) {
        return null;
      }
      int h = THUMB_HEIGHT;
      int w = Math.max(1, source.getWidth() * h / source.getHeight());
      BufferedImage thumb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = thumb.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, w, h, null);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(thumb, "jpeg", out);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      return null;
    }
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
