package io.monitorlab.common.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The little ASN.1 DER that rewrapping a PKCS#1 or SEC1 key as PKCS#8 takes: writing a SEQUENCE, an
 * INTEGER, an OCTET STRING, NULL and an OBJECT IDENTIFIER, and reading definite-length elements.
 * Stateless (a {@link Reader} is not thread-safe).
 */
final class Der {
  static final byte[] NULL = {0x05, 0x00};

  private Der() {}

  static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return element(0x30, body.toByteArray());
  }

  static byte[] integer(long value) {
    return element(0x02, BigInteger.valueOf(value).toByteArray());
  }

  static byte[] octetString(byte[] content) {
    return element(0x04, content);
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        body.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return element(0x06, body.toByteArray());
  }

  static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static Reader reader(byte[] der) {
    return new Reader(der, 0, der.length);
  }

  /** Reads the elements of one constructed element in order; failures are IllegalStateException. */
  static final class Reader {
    private final byte[] der;
    private int pos;
    private final int end;

    private Reader(byte[] der, int pos, int end) {
      this.der = der;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    int peekTag() {
      require(pos < end, "unexpected end");
      return der[pos] & 0xff;
    }

    /** A reader over the content of the next element, which must have tag {@code tag}. */
    Reader enter(int tag) {
      int[] span = next(tag);
      return new Reader(der, span[0], span[1]);
    }

    /** The whole encoding (tag, length and content) of the next element, which must have tag {@code tag}. */
    byte[] element(int tag) {
      int start = pos;
      int[] span = next(tag);
      return Arrays.copyOfRange(der, start, span[1]);
    }

    void skip(int tag) {
      next(tag);
    }

    void skipAny() {
      next(peekTag());
    }

    private int[] next(int tag) {
      require(peekTag() == tag, "expected tag 0x" + Integer.toHexString(tag) + " but found 0x" + Integer.toHexString(peekTag()));
      pos++;
      require(pos < end, "unexpected end");
      int len = der[pos++] & 0xff;
      if (len >= 0x80) {
        int bytes = len & 0x7f;
        require(bytes >= 1 && bytes <= 3 && pos + bytes <= end, "unsupported length");
        len = 0;
        for (int i = 0; i < bytes; i++) {
          len = (len << 8) | (der[pos++] & 0xff);
        }
      }
      int start = pos;
      require(start + len <= end, "element runs past its container");
      pos = start + len;
      return new int[] {start, pos};
    }

    private static void require(boolean ok, String why) {
      if (!ok) {
        throw new IllegalStateException(why);
      }
    }
  }
}
