package io.reelset.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One image written into a training dataset.
 *
 * @param identity the identity's final id (after renames and merges)
 * @param name the identity's display name
 * @param trigger the identity's trigger word
 * @param file the image's path relative to the dataset's output directory
 * @param caption the caption written beside it
 * @param split {@code train} or {@code validation}
 * @param repeats how often the identity's images repeat per epoch (kohya)
 * @param cropKey the crop the image comes from
 */
@DefaultCoder(DatasetRecordCoder.class)
public record DatasetRecord(String identity, String name, String trigger, String file, String caption,
    String split, int width, int height, int repeats, String cropKey, String videoKey, long ptsMs, String track)
    implements Serializable {

  public DatasetRecord {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(caption, "caption");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(track, "track");
  }
}
