package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.stages.clustering.IdentitiesTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identities.yaml to start from that the clustering stage writes beside clusters.json. */
class IdentitiesTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aLinePerIdentityWithItsNearestAndAsWrittenItChangesNothing() throws Exception {
    String template = IdentitiesTemplate.of(JSON.readTree("""
        {"identities": 3, "clusters": [
          {"id": "identity_002", "size": 6, "nearest": {"id": "identity_003", "distance": 0.7002}},
          {"id": "identity_001", "size": 6, "nearest": {"id": "identity_002", "distance": 1.2134}},
          {"id": "identity_003", "size": 3, "nearest": {"id": "identity_002", "distance": 0.7002}},
          {"id": "alice", "size": 2, "nearest": null},
          {"id": "Mary Jane: 2", "size": 2, "nearest": null}]}
        """));
    assertEquals("""
        # identities.yaml to start from: look at report.html, then give each identity a name and a trigger,
        # merge the ones that are one character ({merge: identity_NNN}), drop the ones that are not
        # characters (drop); save it as identities.yaml and set it as the dataset stage's `identities:`.
        # A character split by scene or light is most often its parts' nearest identity.
        "Mary Jane: 2": {name: "Mary Jane: 2"}   # 2 crops
        alice: {name: alice}                     # 2 crops
        identity_001: {name: identity_001}       # 6 crops; nearest identity_002 at 1.21
        identity_002: {name: identity_002}       # 6 crops; nearest identity_003 at 0.70
        identity_003: {name: identity_003}       # 3 crops; nearest identity_002 at 0.70
        """, template);
    Path file = Files.writeString(dir.resolve("identities.yaml"), template);
    IdentityMap map = IdentityMap.read(file, "dataset");
    for (String id : new String[] {"identity_001", "identity_002", "identity_003", "alice", "Mary Jane: 2"}) {
      assertEquals(id, map.resolve(id).name(), "as written, " + id + " keeps its id as its name");
      assertEquals(id, map.resolve(id).id());
    }
  }

  @Test
  void noIdentityNoTemplate() throws Exception {
    assertNull(IdentitiesTemplate.of(JSON.readTree("{\"identities\": 0, \"clusters\": []}")));
  }
}
