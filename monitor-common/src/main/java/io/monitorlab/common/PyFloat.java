package io.monitorlab.common;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in fixed
 * notation for 1e-4 <= |x| < 1e16 and {@code 1e+16} style otherwise. This class is thread-safe.
 */
final class PyFloat {
  private PyFloat() {}

  /** As {@code repr(x)} prints it ({@code nan}, {@code inf} for the specials). */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    return finite(x);
  }

  /** As {@code json.dumps(x)} prints it ({@code NaN}, {@code Infinity} for the specials). */
  static String json(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    return finite(x);
  }

  private static String finite(double x) {
    String sign = (x < 0 || (x == 0 && 1 / x < 0)) ? "-" : "";
    double abs = Math.abs(x);
    if (abs == 0) {
      return sign + "0.0";
    }
    BigDecimal shortest = shortest(abs);
    String digits = shortest.unscaledValue().toString();
    int decpt = digits.length() - shortest.scale();
    if (decpt < -3 || decpt > 16) {
      return sign + exponential(digits, decpt - 1);
    }
    return sign + fixed(digits, decpt);
  }

  private static BigDecimal shortest(double abs) {
    BigDecimal exact = new BigDecimal(abs);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == abs) {
        return nearest.stripTrailingZeros();
      }
      // Next to a power of two the gap below is half the gap above: the nearest decimal can miss
      // the double while the one on the other side still reads back as it.
      BigDecimal other = exact.round(new MathContext(precision,
          nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR));
      if (other.doubleValue() == abs) {
        return other.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static String fixed(String digits, int decpt) {
    if (decpt <= 0) {
      return "0." + "0".repeat(-decpt) + digits;
    }
    if (decpt < digits.length()) {
      return digits.substring(0, decpt) + "." + digits.substring(decpt);
    }
    return digits + "0".repeat(decpt - digits.length()) + ".0";
  }

  private static String exponential(String digits, int exponent) {
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }
}
