package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A deterministic coder for a small Java record whose components are strings (null allowed),
 * {@code int}, {@code long}, {@code double}, {@code boolean}, {@code byte[]} or {@code float[]}:
 * the components in declaration order, each with Beam's coder for its type. For the records that
 * cross a shuffle or a side input inside a stage, in place of Java serialization, whose bytes
 * are neither stable nor checked.
 *
 * {@code
 * PCollection<KV<String, Stamp>> stamps = ... .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(Stamp.class)));
 * }
 */
public final class RecordCoder<R extends Record> extends CustomCoder<R> {
  private static final long serialVersionUID = 1L;
  private static final Coder<String> STRING = NullableCoder.of(StringUtf8Coder.of());
  private final Class<R> type;
  private transient RecordComponent[] components;
  private transient Constructor<R> constructor;

  private RecordCoder(Class<R> type) {
    this.type = type;
  }

  /**
   * @throws IllegalArgumentException naming a component of a type this coder does not write
   */
  public static <R extends Record> RecordCoder<R> of(Class<R> type) {
    RecordCoder<R> coder = new RecordCoder<>(type);
    coder.components();
    return coder;
  }

  private RecordComponent[] components() {
    if (components == null) {
      RecordComponent[] found = type.getRecordComponents();
      Class<?>[] types = new Class<?>[found.length];
      for (int i = 0; i < found.length; i++) {
        types[i] = found[i].getType();
        if (!SUPPORTED.contains(types[i])) {
          throw new IllegalArgumentException(type.getName() + "." + found[i].getName() + ": a " + types[i].getName()
              + " is not written by RecordCoder; allowed: String, int, long, double, boolean, byte[], float[]");
        }
        found[i].getAccessor().setAccessible(true);
      }
      try {
        constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
      }
      components = found;
    }
    return components;
  }

  private static final List<Class<?>> SUPPORTED = List.of(String.class, int.class, long.class, double.class,
      boolean.class, byte[].class, float[].class);

  @Override
  public void encode(R value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    try {
      for (RecordComponent c : components()) {
        Object v = c.getAccessor().invoke(value);
        Class<?> t = c.getType();
        if (t == String.class) {
          STRING.encode((String) v, out);
        } else if (t == int.class) {
          VarIntCoder.of().encode((Integer) v, out);
        } else if (t == long.class) {
          VarLongCoder.of().encode((Long) v, out);
        } else if (t == double.class) {
          DoubleCoder.of().encode((Double) v, out);
        } else if (t == boolean.class) {
          BooleanCoder.of().encode((Boolean) v, out);
        } else if (t == byte[].class) {
          ByteArrayCoder.of().encode(Objects.requireNonNull((byte[]) v, c.getName()), out);
        } else {
          float[] floats = Objects.requireNonNull((float[]) v, c.getName());
          VarIntCoder.of().encode(floats.length, out);
          for (float f : floats) {
            int bits = Float.floatToIntBits(f);
            out.write(bits >>> 24);
            out.write(bits >>> 16);
            out.write(bits >>> 8);
            out.write(bits);
          }
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new CoderException("cannot read " + type.getSimpleName() + ": " + e);
    }
  }

  @Override
  public R decode(InputStream in) throws IOException {
    RecordComponent[] all = components();
    Object[] values = new Object[all.length];
    for (int i = 0; i < all.length; i++) {
      Class<?> t = all[i].getType();
      if (t == String.class) {
        values[i] = STRING.decode(in);
      } else if (t == int.class) {
        values[i] = VarIntCoder.of().decode(in);
      } else if (t == long.class) {
        values[i] = VarLongCoder.of().decode(in);
      } else if (t == double.class) {
        values[i] = DoubleCoder.of().decode(in);
      } else if (t == boolean.class) {
        values[i] = BooleanCoder.of().decode(in);
      } else if (t == byte[].class) {
        values[i] = ByteArrayCoder.of().decode(in);
      } else {
        float[] floats = new float[VarIntCoder.of().decode(in)];
        for (int j = 0; j < floats.length; j++) {
          int bits = 0;
          for (int b = 0; b < 4; b++) {
            int read = in.read();
            if (read < 0) {
              throw new CoderException("a " + type.getSimpleName() + " ends inside " + all[i].getName());
            }
            bits = (bits << 8) | read;
          }
          floats[j] = Float.intBitsToFloat(bits);
        }
        values[i] = floats;
      }
    }
    try {
      return constructor.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new CoderException("cannot make a " + type.getSimpleName() + ": " + e);
    }
  }

  @Override
  public void verifyDeterministic() {
    // every component is written by a deterministic coder, in declaration order
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> c && c.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "RecordCoder(" + type.getSimpleName() + ")";
  }
}
