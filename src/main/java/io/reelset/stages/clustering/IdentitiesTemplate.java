package io.reelset.stages.clustering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An {@code identities.yaml} to start from, written beside {@code clusters.json}: a line per
 * identity, its crops and its nearest other identity as a comment (one character split by scene
 * or light is most often its nearest), ready to name, merge or drop after a look at the report.
 * As written, it changes nothing: every identity keeps its id as its name.
 */
public final class IdentitiesTemplate {
  /** The file's name, in the clustering stage's output directory. */
  public static final String FILE = "identities.template.yaml";

  private IdentitiesTemplate() {}

  /** The template for the cluster report {@code report} ({@code clusters.json}); null when it has no identity. */
  public static String of(JsonNode report) {
    List<JsonNode> byId = new ArrayList<>();
    report.path("clusters").forEach(byId::add);
    if (byId.isEmpty()) {
      return null;
    }
    byId.sort(Comparator.comparing(c -> c.path("id").asText()));
    StringBuilder out = new StringBuilder();
    out.append("# identities.yaml to start from: look at report.html, then give each identity a name and a trigger,\n")
        .append("# merge the ones that are one character ({merge: identity_NNN}), drop the ones that are not\n")
        .append("# characters (drop); save it as identities.yaml and set it as the dataset stage's `identities:`.\n")
        .append("# A character split by scene or light is most often its parts' nearest identity.\n");
    for (JsonNode c : byId) {
      // a reference's name may hold any character: quoted (a JSON string is a YAML one) where it must be
      String id = c.path("id").asText();
      String key = id.matches("[A-Za-z0-9_.-]+") ? id : c.path("id").toString();
      out.append(String.format(Locale.ROOT, "%-40s # %d crops", key + ": {name: " + key + "}", c.path("size").asLong()));
      JsonNode nearest = c.path("nearest");
      if (nearest.isObject()) {
        out.append(String.format(Locale.ROOT, "; nearest %s at %.2f", nearest.path("id").asText(),
            nearest.path("distance").asDouble()));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
