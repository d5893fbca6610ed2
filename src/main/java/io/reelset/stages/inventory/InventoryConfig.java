package io.reelset.stages.inventory;

import io.reelset.corpus.MatchVideos;
import io.reelset.media.VideoKeys;
import io.reelset.spec.Setting;
import java.io.Serializable;
import java.util.List;

/** The config of stage {@code video_inventory}. */
public record InventoryConfig(
    @Setting(value = MatchVideos.INPUT_DOC, required = true) String input,
    @Setting(value = MatchVideos.EXTENSIONS_DOC, defaultValue = VideoKeys.EXTENSIONS, min = 1) List<String> extensions,
    @Setting(value = "leading bytes of each file that go into its key", defaultValue = "65536", min = 1,
        max = 16 << 20) int fingerprintBytes) implements Serializable {}
