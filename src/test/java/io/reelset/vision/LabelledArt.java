package io.reelset.vision;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Labelled character crops made from real character art ({@code media/labelled/<identity>/*.png},
 * RGBA sprites from renpy-thequestion, renpy-demo and wesnoth-1.16-data, fetched by
 * {@code scripts/fetch-media.sh}): each sprite is scaled, maybe mirrored, placed at a random
 * position on one of the backgrounds under a random change of brightness, and cut out again with
 * its mask grown or shrunk by a few pixels, as an imperfect segmentation would.
 */
public final class LabelledArt {
  public static final Path MEDIA = Path.of("media");

  /** One crop, its identity and a unique key. */
  public record Crop(String identity, String key, byte[] png) {}

  private LabelledArt() {}

  public static boolean available() {
    return Files.isDirectory(MEDIA.resolve("labelled")) && Files.isRegularFile(MEDIA.resolve("art/bg-cave.jpg"));
  }

  /** The identities, sorted. */
  public static List<String> identities() throws IOException {
    try (Stream<Path> dirs = Files.list(MEDIA.resolve("labelled"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static final java.util.Map<String, List<Crop>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** About {@code perIdentity} crops of every identity, deterministic for a seed (made once per JVM). */
  public static List<Crop> crops(int perIdentity, long seed) throws IOException {
    String key = perIdentity + "/" + seed;
    List<Crop> cached = CACHE.get(key);
    if (cached == null) {
      cached = List.copyOf(make(perIdentity, seed));
      CACHE.put(key, cached);
    }
    return cached;
  }

  private static List<Crop> make(int perIdentity, long seed) throws IOException {
    List<BufferedImage> backgrounds = new ArrayList<>();
    try (Stream<Path> files = Files.list(MEDIA.resolve("art"))) {
      for (Path bg : files.filter(p -> p.getFileName().toString().startsWith("bg-")).sorted().toList()) {
        backgrounds.add(ImageIO.read(bg.toFile()));
      }
    }
    Random random = new Random(seed);
    List<Crop> crops = new ArrayList<>();
    for (String identity : identities()) {
      List<Path> sprites;
      try (Stream<Path> files = Files.list(MEDIA.resolve("labelled").resolve(identity))) {
        sprites = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
      }
      int variants = (perIdentity + sprites.size() - 1) / sprites.size();
      for (Path sprite : sprites) {
        BufferedImage image = ImageIO.read(sprite.toFile());
        for (int v = 0; v < variants; v++) {
          BufferedImage bg = backgrounds.get(random.nextInt(backgrounds.size()));
          String key = identity + "/" + sprite.getFileName() + "#" + v;
          crops.add(new Crop(identity, key, composite(image, bg, random)));
        }
      }
    }
    return crops;
  }

  static byte[] composite(BufferedImage sprite, BufferedImage background, Random random) {
    int frameW = 1280;
    int frameH = 720;
    double targetHeight = 180 + random.nextDouble() * 460;
    double scale = targetHeight / sprite.getHeight();
    int w = Math.max(1, (int) Math.round(sprite.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(sprite.getHeight() * scale));
    boolean mirror = random.nextBoolean();
    BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    if (mirror) {
      g.drawImage(sprite, w, 0, -w, h, null);
    } else {
      g.drawImage(sprite, 0, 0, w, h, null);
    }
    g.dispose();
    int x0 = random.nextInt(Math.max(1, frameW - w));
    int y0 = random.nextInt(Math.max(1, frameH - h));
    BufferedImage frame = new BufferedImage(frameW, frameH, BufferedImage.TYPE_INT_RGB);
    Graphics2D f = frame.createGraphics();
    f.drawImage(background, 0, 0, frameW, frameH, null);
    f.drawImage(scaled, x0, y0, null);
    f.dispose();
    double gain = 0.85 + random.nextDouble() * 0.3;
    // the mask lives in a window around the sprite, 4 pixels wider on each side than it
    int wx = Math.max(0, x0 - 4);
    int wy = Math.max(0, y0 - 4);
    int ww = Math.min(frameW, x0 + w + 4) - wx;
    int wh = Math.min(frameH, y0 + h + 4) - wy;
    boolean[] mask = new boolean[ww * wh];
    int[] alpha = scaled.getRGB(0, 0, w, h, null, 0, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int fx = x0 + x - wx;
        int fy = y0 + y - wy;
        if (fx < ww && fy < wh && (alpha[y * w + x] >>> 24) >= 128) {
          mask[fy * ww + fx] = true;
        }
      }
    }
    int grow = random.nextInt(7) - 3;
    for (int i = 0; i < Math.abs(grow); i++) {
      mask = morph(mask, ww, wh, grow > 0);
    }
    int left = frameW;
    int top = frameH;
    int right = -1;
    int bottom = -1;
    for (int y = 0; y < wh; y++) {
      for (int x = 0; x < ww; x++) {
        if (mask[y * ww + x]) {
          left = Math.min(left, x + wx);
          right = Math.max(right, x + wx);
          top = Math.min(top, y + wy);
          bottom = Math.max(bottom, y + wy);
        }
      }
    }
    int padX = (int) ((right - left + 1) * 0.05);
    int padY = (int) ((bottom - top + 1) * 0.05);
    left = Math.max(0, left - padX);
    top = Math.max(0, top - padY);
    right = Math.min(frameW - 1, right + padX);
    bottom = Math.min(frameH - 1, bottom + padY);
    int cw = right - left + 1;
    int ch = bottom - top + 1;
    int[] pixels = frame.getRGB(left, top, cw, ch, null, 0, cw);
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int p = pixels[y * cw + x];
        int r = Math.min(255, (int) (((p >> 16) & 0xff) * gain));
        int gg = Math.min(255, (int) (((p >> 8) & 0xff) * gain));
        int b = Math.min(255, (int) ((p & 0xff) * gain));
        int mx = left + x - wx;
        int my = top + y - wy;
        int a = mx >= 0 && my >= 0 && mx < ww && my < wh && mask[my * ww + mx] ? 255 : 0;
        pixels[y * cw + x] = a << 24 | r << 16 | gg << 8 | b;
      }
    }
    return PngWriter.write(pixels, cw, ch, true);
  }

  /** One step of 3x3 dilation ({@code grow}) or erosion. */
  private static boolean[] morph(boolean[] mask, int w, int h, boolean grow) {
    boolean[] out = new boolean[mask.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean value = !grow;
        for (int dy = -1; dy <= 1 && value != grow; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            boolean m = nx >= 0 && ny >= 0 && nx < w && ny < h && mask[ny * w + nx];
            if (m == grow) {
              value = grow;
              break;
            }
          }
        }
        out[y * w + x] = value;
      }
    }
    return out;
  }
}
