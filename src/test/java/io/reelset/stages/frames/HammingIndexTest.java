package io.reelset.stages.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The band index answers as comparing with every hash would. */
class HammingIndexTest {
  @Test
  void answersAsComparingWithEveryHashDoes() {
    Random random = new Random(7);
    for (int distance : new int[] {0, 1, 4, 6, 10, 15, 16, 40, 64}) {
      HammingIndex index = new HammingIndex(distance);
      List<Long> added = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        long hash = random.nextLong();
        if (i % 3 == 0 && !added.isEmpty()) { // a near copy of an earlier one: 0 to distance + 2 bits flipped
          hash = added.get(random.nextInt(added.size()));
          int flips = random.nextInt(distance + 3);
          for (int f = 0; f < flips; f++) {
            hash ^= 1L << random.nextInt(64);
          }
        }
        long query = hash;
        boolean expected = added.stream().anyMatch(h -> Long.bitCount(h ^ query) <= distance);
        assertEquals(expected, index.hasWithin(query), "distance " + distance + ", hash " + i);
        if (i % 2 == 0) {
          index.add(hash);
          added.add(hash);
        }
      }
    }
  }
}
