package io.reelset.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Flink cluster's REST API, as far as run management needs it: find a run's job (its Beam job
 * name is the run id), read its state and tasks, and cancel it.
 */
public final class FlinkJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http;

  /** One job as {@code /jobs/overview} lists it. */
  public record Job(String id, String name, String state, long startTime, JsonNode tasks) {
    /** {@code 3 running, 2 finished} from the job's task counts, zero counts left out. */
    public String taskSummary() {
      StringBuilder text = new StringBuilder();
      tasks.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("total") && e.getValue().asLong() > 0) {
          text.append(text.length() == 0 ? "" : ", ").append(e.getValue().asLong()).append(' ').append(e.getKey());
        }
      });
      return text.toString();
    }
  }

  /** @param master {@code host:port} of the REST endpoint, as given to {@code --flinkMaster} */
  public FlinkJobs(String master) {
    this.base = master.startsWith("http://") || master.startsWith("https://") ? master : "http://" + master;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The newest job named {@code name}, or null when the cluster has none. */
  public Job find(String name) throws IOException {
    JsonNode jobs = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/jobs/overview")).GET())).path("jobs");
    Job found = null;
    for (JsonNode job : jobs) {
      if (job.path("name").asText().equals(name)
          && (found == null || job.path("start-time").asLong() > found.startTime())) {
        found = new Job(job.path("jid").asText(), name, job.path("state").asText(), job.path("start-time").asLong(),
            job.path("tasks"));
      }
    }
    return found;
  }

  /** Asks the cluster to cancel the job. */
  public void cancel(String jobId) throws IOException {
    send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  private String send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("Flink REST " + request.build().uri() + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Flink at " + base, e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the Flink REST API at " + base + " (is the cluster up?)", e);
    }
  }
}
