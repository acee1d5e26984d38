package org.slimj.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slimj.engine.infer.ImagePreprocessor;

/**
 * One {@code /predict} request body, parsed and preprocessed: {@code {"image": [...]}} with values
 * in [0, 1] (pixel / 255), {@code {"pixels": [...]}} with values 0..255, either flat ({@code C x H
 * x W}) or nested ({@code [H][W]} for one channel, {@code [C][H][W]}), or {@code {"png": BASE64}}
 * of the input's size (gray for one channel, RGB for three); optionally {@code "top": K}.
 *
 * @param image the preprocessed image (normalised as the network expects)
 * @param top classes to answer with
 */
public record ImageRequest(float[] image, int top) {
  /**
   * Parses {@code body} for a network whose inputs {@code pre} prepares and that has {@code classes}
   * classes.
   *
   * @throws IllegalArgumentException saying what is wrong with the body (HTTP 400)
   */
  public static ImageRequest parse(String body, ImagePreprocessor pre, int classes) {
    JsonObject o;
    try {
      JsonElement root = org.slimj.search.io.StrictJson.parse(body, "request body");
      if (!root.isJsonObject()) {
        throw new IllegalArgumentException("expected a JSON object {\"image\" | \"pixels\" | \"png\": ...}");
      }
      o = root.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not valid JSON (" + e.getMessage() + ")", e);
    }
    int top = 3;
    if (o.has("top")) {
      JsonElement t = o.get("top");
      if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isNumber() || t.getAsDouble() != Math.rint(t.getAsDouble())
          || t.getAsDouble() < 1 || t.getAsDouble() > classes) {
        throw new IllegalArgumentException("\"top\": expected a whole number in [1, " + classes + "], found " + t);
      }
      top = t.getAsInt();
    }
    int given = (o.has("image") ? 1 : 0) + (o.has("pixels") ? 1 : 0) + (o.has("png") ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("expected exactly one of \"image\", \"pixels\" or \"png\", found " + given);
    }
    float[] image;
    if (o.has("png")) {
      if (!o.get("png").isJsonPrimitive()) {
        throw new IllegalArgumentException("\"png\": expected a base64 string");
      }
      image = pre.fromPixels(png(o.get("png").getAsString(), pre.inputShape()));
    } else {
      boolean pixels = o.has("pixels");
      float[] v = flatten(o.get(pixels ? "pixels" : "image"), pre.imageSize(), pixels ? "pixels" : "image");
      if (pixels) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          if (!(v[i] >= 0 && v[i] <= 255) || v[i] != Math.rint(v[i])) {
            throw new IllegalArgumentException("\"pixels\" value " + i + ": expected a whole number 0..255, found " + v[i]);
          }
          b[i] = (byte) (int) v[i];
        }
        image = pre.fromPixels(b);
      } else {
        image = pre.fromUnitRange(v);
      }
    }
    return new ImageRequest(image, top);
  }

  /** The numbers of {@code e} (an array, nested arrays flattened in order), at most {@code size}. */
  private static float[] flatten(JsonElement e, int size, String name) {
    float[] out = new float[size];
    int n = flattenInto(e, out, 0, name, 0);
    if (n != size) {
      throw new IllegalArgumentException("\"" + name + "\": expected " + size + " values, found " + n);
    }
    return out;
  }

  private static int flattenInto(JsonElement e, float[] out, int at, String name, int depth) {
    if (depth > 3 || !e.isJsonArray()) {
      throw new IllegalArgumentException("\"" + name + "\": expected an array of numbers (flat or nested up to"
          + " [C][H][W]), found " + (e.isJsonArray() ? "deeper nesting" : e.toString()));
    }
    int n = at;
    for (JsonElement x : (JsonArray) e) {
      if (x.isJsonArray()) {
        n = flattenInto(x, out, n, name, depth + 1);
      } else if (x.isJsonPrimitive() && x.getAsJsonPrimitive().isNumber()) {
        if (n >= out.length) {
          throw new IllegalArgumentException("\"" + name + "\": expected " + out.length + " values, found more");
        }
        out[n++] = x.getAsFloat();
      } else {
        throw new IllegalArgumentException("\"" + name + "\": expected numbers, found " + x);
      }
    }
    return n;
  }

  /** The pixels {@code C x H x W} of a base64 PNG that must be {@code shape[2] x shape[1]}. */
  private static byte[] png(String base64, int[] shape) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"png\": not base64 (" + e.getMessage() + ")", e);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
      if (in == null || !readers.hasNext()) {
        throw new IllegalArgumentException("\"png\": no PNG reader available");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        int w = r.getWidth(0);
        int h = r.getHeight(0);
        if (w != shape[2] || h != shape[1]) {
          throw new IllegalArgumentException("\"png\": expected " + shape[2] + " x " + shape[1] + " pixels, found " + w
              + " x " + h);
        }
        return pixels(r.read(0), shape);
      } finally {
        r.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("\"png\": not a readable PNG (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] pixels(BufferedImage img, int[] shape) {
    int c = shape[0];
    int h = shape[1];
    int w = shape[2];
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException("\"png\": the network takes " + c + " channels; PNG input needs 1 or 3");
    }
    byte[] out = new byte[c * h * w];
    boolean gray = img.getRaster().getNumBands() <= 2;
    int shift = Math.max(0, img.getRaster().getSampleModel().getSampleSize(0) - 8);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (c == 1 && gray) {
          out[y * w + x] = (byte) (img.getRaster().getSample(x, y, 0) >> shift);
          continue;
        }
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (c == 1) {
          out[y * w + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        } else {
          out[y * w + x] = (byte) r;
          out[h * w + y * w + x] = (byte) g;
          out[2 * h * w + y * w + x] = (byte) b;
        }
      }
    }
    return out;
  }
}
