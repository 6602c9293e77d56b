#pragma once
// Elementary functions that can run in constant expressions. The C library's are not constexpr
// (GCC folds its builtins as an extension, clang does not), so scalar graphs evaluated by
// `static_assert` use these; at run time the op rules call the C library (see math.hpp).
//
// Each function reduces its argument exactly and sums its series in double-double arithmetic (a
// value held as the unevaluated sum hi + lo of two doubles, about 106 bits), then rounds once, so
// its result is correctly rounded but for arguments within about 2^-90 of a rounding boundary
// (erf for |x| >= 2, whose small complement is summed in double: within about 2^-6 ulp of one).
// Measured against glibc (tests/ops/constexpr_math.cpp: 100 000 to 200 000 random arguments per
// function, and the edge cases): exp, expm1, log, log1p, sin and cos (for |x| < 1e4, the range of
// the four-part pi/2 reduction), erf and pow within 1 ulp, tanh within 2 ulp (glibc's own errors
// are up to 1 ulp, 2 for tanh; where the two differ, every case checked against 80-digit
// arithmetic was glibc's misrounding); sqrt correctly rounded. pow is exact whenever its result
// is a double (integer powers of integers and of powers of two, negative bases, 0); a subnormal
// result of exp or pow may be one unit off, a second rounding. float is computed in double and
// rounded once.
#include <bit>
#include <cstdint>
#include <limits>

namespace tapeless::detail::cx {

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inv_ln2 = 0x1.71547652b82fep+0;

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

/// Whether a finite x is an integer (every double of magnitude 2^52 or more is one).
constexpr bool is_integer(double x) { return fabs(x) >= 0x1p52 || round_half_even(x) == x; }

/// x = m 2^e with m in [1, 2), for a finite x > 0 (subnormals too).
constexpr double mantissa(double x, int& e) {
  e = 0;
  if (x < 0x1p-1022) {
    x *= 0x1p54;
    e -= 54;
  }
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  return std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
}

// ---- double-double arithmetic ------------------------------------------------------------------
// The error-free transformations of Knuth (two_sum) and Dekker (split, two_prod): no fma, which
// is not constexpr. Magnitudes stay far from overflow: arguments are reduced first.

struct dd {
  double hi = 0;
  double lo = 0;
};

constexpr dd quick_two_sum(double a, double b) {  // |a| >= |b|
  const double s = a + b;
  return {s, b - (s - a)};
}
constexpr dd two_sum(double a, double b) {
  const double s = a + b;
  const double v = s - a;
  return {s, (a - (s - v)) + (b - v)};
}
constexpr dd two_prod(double a, double b) {
  const double p = a * b;
  const double ca = 134217729.0 * a, cb = 134217729.0 * b;  // 2^27 + 1
  const double ah = ca - (ca - a), bh = cb - (cb - b);
  const double al = a - ah, bl = b - bh;
  return {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}
constexpr dd operator-(dd a) { return {-a.hi, -a.lo}; }
constexpr dd operator+(dd a, dd b) {
  dd s = two_sum(a.hi, b.hi);
  const dd t = two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = quick_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return quick_two_sum(s.hi, s.lo);
}
constexpr dd operator-(dd a, dd b) { return a + -b; }
constexpr dd operator*(dd a, dd b) {
  dd p = two_prod(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return quick_two_sum(p.hi, p.lo);
}
constexpr dd operator*(dd a, double b) {
  dd p = two_prod(a.hi, b);
  p.lo += a.lo * b;
  return quick_two_sum(p.hi, p.lo);
}
constexpr dd operator/(dd a, double b) {
  const double q1 = a.hi / b;
  const dd p = two_prod(q1, b);
  const double q2 = (((a.hi - p.hi) - p.lo) + a.lo) / b;
  return quick_two_sum(q1, q2);
}
constexpr dd operator/(dd a, dd b) {
  const double q1 = a.hi / b.hi;
  dd r = a - b * q1;
  const double q2 = r.hi / b.hi;
  r = r - b * q2;
  const double q3 = r.hi / b.hi;
  return quick_two_sum(q1, q2) + dd{q3, 0};
}
/// v 2^k, part by part (exact unless the low part leaves the normal range).
constexpr dd scale2(dd v, int k) { return {scale2(v.hi, k), scale2(v.lo, k)}; }

inline constexpr dd ln2{0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};
inline constexpr dd two_over_sqrt_pi{0x1.20dd750429b6dp+0, 0x1.1ae3a914fed80p-56};

// ---- exp and log -------------------------------------------------------------------------------

/// e^r - 1 for |r| <= ln2 / 2 (or any small r): its Taylor series from the first term.
constexpr dd expm1_series(dd r) {
  dd term = r, sum = r;
  for (int n = 2; n < 40; ++n) {
    term = term * r / static_cast<double>(n);
    sum = sum + term;
    if (fabs(term.hi) <= 0x1p-110 * fabs(sum.hi)) break;
  }
  return sum;
}

/// e^t = 2^k e^r with r = t - k ln2, |r| <= ln2 / 2; returns e^r and sets k (|t| < 746).
constexpr dd exp_reduced(dd t, int& k) {
  const double q = round_half_even(t.hi * inv_ln2);
  k = static_cast<int>(q);
  return dd{1, 0} + expm1_series(t - ln2 * q);
}

/// e^t as a pair, for |t| < 708 (no overflow, no subnormal).
constexpr dd exp_dd(dd t) {
  int k = 0;
  const dd e = exp_reduced(t, k);
  return scale2(e, k);
}

/// log x for x = hi + lo > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s),
/// s = (m - 1) / (m + 1), |s| < 0.172.
constexpr dd log_dd(dd x) {
  int e = 0;
  double m = mantissa(x.hi, e);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    ++e;
  }
  const double m_lo = scale2(x.lo, -e);
  const dd s = two_sum(m - 1.0, m_lo) / (dd{m, m_lo} + dd{1, 0});
  const dd s2 = s * s;
  dd power = s, sum{};
  for (int n = 1; n < 80; n += 2) {
    const dd term = power / static_cast<double>(n);
    sum = sum + term;
    if (fabs(term.hi) <= 0x1p-110 * fabs(sum.hi)) break;
    power = power * s2;
  }
  return ln2 * static_cast<double>(e) + sum * 2.0;
}

constexpr double exp(double x) {
  if (is_nan(x)) return x;
  if (x > 710) return inf;
  if (x < -746) return 0.0;
  int k = 0;
  const dd e = exp_reduced(dd{x, 0}, k);
  return scale2(e.hi, k);
}

/// e^x - 1 as a pair, for |x| < 45.
constexpr dd expm1_dd(double x) {
  if (fabs(x) <= 0.34) return expm1_series(dd{x, 0});
  int k = 0;
  const dd e = exp_reduced(dd{x, 0}, k);
  return scale2(e, k) - dd{1, 0};
}

/// e^x - 1, accurate near 0.
constexpr double expm1(double x) {
  if (is_nan(x) || fabs(x) < 0x1p-54) return x;  // x^2 / 2 is below half an ulp; keeps the sign of 0
  if (x > 40) return exp(x);  // the 1 is below half an ulp
  if (x < -40) return -1.0;
  return expm1_dd(x).hi;
}

constexpr double log(double x) {
  if (is_nan(x) || x < 0) return nan;
  if (x == 0) return -inf;
  if (x == inf) return inf;
  return log_dd(dd{x, 0}).hi;
}

constexpr double log1p(double x) {
  if (is_nan(x) || fabs(x) < 0x1p-54) return x;  // x^2 / 2 is below half an ulp; keeps the sign of 0
  if (x < -1) return nan;
  if (x == -1) return -inf;
  if (x == inf) return inf;
  return log_dd(two_sum(1.0, x)).hi;  // 1 + x exactly, as a pair
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
  // The nearest of r and its neighbours, by the exact residual c^2 - y.
  const double below = std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) - 1);
  const double above = std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) + 1);
  const auto err = [&](double c) {
    const dd sq = two_prod(c, c);
    return fabs((sq.hi - y) + sq.lo);
  };
  if (err(below) < err(r)) r = below;
  if (err(above) < err(r)) r = above;
  return r * scale;
}

// ---- sin and cos -------------------------------------------------------------------------------

/// sin r and cos r for |r| <= pi/4 (Taylor series).
constexpr dd sin_kernel(dd r) {
  const dd r2 = r * r;
  dd term = r, sum = r;
  for (int n = 1; n < 30; ++n) {
    term = -(term * r2) / static_cast<double>((2 * n) * (2 * n + 1));
    sum = sum + term;
    if (fabs(term.hi) <= 0x1p-110 * fabs(sum.hi)) break;
  }
  return sum;
}
constexpr dd cos_kernel(dd r) {
  const dd r2 = r * r;
  dd term{1, 0}, sum{1, 0};
  for (int n = 1; n < 30; ++n) {
    term = -(term * r2) / static_cast<double>((2 * n - 1) * (2 * n));
    sum = sum + term;
    if (fabs(term.hi) <= 0x1p-110) break;
  }
  return sum;
}

/// x = q (pi/2) + r, |r| <= pi/4, with pi/2 in four parts (the first three short enough that
/// q times each is exact for |q| < 2^20); returns q mod 4.
constexpr int reduce_half_pi(double x, dd& r) {
  constexpr double pio2_1 = 0x1.921fb54400000p+0;
  constexpr double pio2_2 = 0x1.0b4611a600000p-34;
  constexpr double pio2_3 = 0x1.3198a2e000000p-69;
  constexpr double pio2_3t = 0x1.b839a252049c1p-104;
  constexpr double two_over_pi = 0x1.45f306dc9c883p-1;
  const double q = round_half_even(x * two_over_pi);
  r = two_sum(x - q * pio2_1, -(q * pio2_2));  // x - q pio2_1 is exact (Sterbenz)
  r = r - dd{q * pio2_3, 0};
  r = r - dd{q * pio2_3t, 0};
  double fours = round_half_even(q / 4.0);
  if (fours > q / 4.0) fours -= 1.0;  // floor(q / 4)
  return static_cast<int>(q - 4.0 * fours);
}

constexpr double sin(double x) {
  if (is_nan(x) || x == inf || x == -inf) return nan;
  if (fabs(x) < 0x1p-26) return x;  // x^3 / 6 is below half an ulp; keeps the sign of 0
  if (fabs(x) <= 0.7853981633974483) return sin_kernel(dd{x, 0}).hi;
  dd r{};
  switch (reduce_half_pi(x, r)) {
    case 0: return sin_kernel(r).hi;
    case 1: return cos_kernel(r).hi;
    case 2: return -sin_kernel(r).hi;
    default: return -cos_kernel(r).hi;
  }
}

constexpr double cos(double x) {
  if (is_nan(x) || x == inf || x == -inf) return nan;
  if (fabs(x) < 0x1p-27) return 1.0;
  if (fabs(x) <= 0.7853981633974483) return cos_kernel(dd{x, 0}).hi;
  dd r{};
  switch (reduce_half_pi(x, r)) {
    case 0: return cos_kernel(r).hi;
    case 1: return -sin_kernel(r).hi;
    case 2: return -cos_kernel(r).hi;
    default: return sin_kernel(r).hi;
  }
}

// ---- tanh and erf ------------------------------------------------------------------------------

constexpr double tanh(double x) {
  if (is_nan(x) || x == 0) return x;
  if (x > 22) return 1.0;
  if (x < -22) return -1.0;
  // tanh |x| = e / (e + 2) with e = e^(2|x|) - 1.
  const dd e = expm1_dd(2.0 * fabs(x));
  const double t = (e / (e + dd{2, 0})).hi;
  return x < 0 ? -t : t;
}

constexpr double erf(double x) {
  if (is_nan(x) || x == 0) return x;
  const double a = fabs(x);
  double result = 1.0;
  if (a >= 6.0) {
    result = 1.0;
  } else if (a < 2.0) {
    // erf a = 2/sqrt(pi) e^(-a^2) sum 2^n a^(2n+1) / (1 3 5 ... (2n+1)): positive terms.
    const dd a2 = two_prod(a, a);
    dd term{a, 0}, sum{a, 0};
    for (int n = 1; n < 200; ++n) {
      term = term * a2 * 2.0 / static_cast<double>(2 * n + 1);
      sum = sum + term;
      if (term.hi <= 0x1p-110 * sum.hi) break;
    }
    result = (two_over_sqrt_pi * exp_dd(-a2) * sum).hi;
  } else {
    // erfc a = e^(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated
    // from the tail; erfc a < 0.005 here, so its own rounding hardly reaches erf.
    double f = a;
    for (int n = 80; n >= 1; --n) f = a + (n / 2.0) / f;
    const dd erfc = two_over_sqrt_pi * exp_dd(-two_prod(a, a)) / (2.0 * f);
    result = (dd{1, 0} - erfc).hi;
  }
  return x < 0 ? -result : result;
}

// ---- pow ---------------------------------------------------------------------------------------

/// a^n for a finite a > 0 and 0 < n < 2^31, by squaring in pairs whose exponents are kept
/// apart (so that no intermediate overflows); 1 / a^n when `reciprocal`.
constexpr double pow_integer(double a, std::uint64_t n, bool reciprocal) {
  int e = 0;
  dd base{mantissa(a, e), 0}, r{1, 0};
  std::int64_t base_exp = e, r_exp = 0;
  const auto normalise = [](dd& v, std::int64_t& v_exp) {
    int k = 0;
    mantissa(v.hi, k);
    v = scale2(v, -k);
    v_exp += k;
  };
  for (;;) {
    if (n & 1) {
      r = r * base;
      r_exp += base_exp;
      normalise(r, r_exp);
    }
    n >>= 1;
    if (n == 0) break;
    base = base * base;
    base_exp *= 2;
    normalise(base, base_exp);
  }
  if (reciprocal) {
    r = dd{1, 0} / r;
    r_exp = -r_exp;
    normalise(r, r_exp);
  }
  if (r_exp > 1100) return inf;
  if (r_exp < -1200) return 0.0;
  return scale2(r.hi, static_cast<int>(r_exp));
}

/// a^b as the C library defines it, special cases included (C11 F.10.4.4).
constexpr double pow(double a, double b) {
  if (b == 0 || a == 1) return 1.0;
  if (is_nan(a) || is_nan(b)) return nan;
  if (b == inf || b == -inf) {
    if (a == -1) return 1.0;
    return (fabs(a) < 1) == (b < 0) ? inf : 0.0;
  }
  const bool odd = fabs(b) < 0x1p53 && is_integer(b) && !is_integer(b / 2);
  if (a == 0 || a == inf || a == -inf) {
    const bool negative = std::bit_cast<std::uint64_t>(a) >> 63;
    const double magnitude = (a == 0) == (b < 0) ? inf : 0.0;
    return odd && negative ? -magnitude : magnitude;
  }
  double sign = 1.0;
  if (a < 0) {
    if (!is_integer(b)) return nan;
    if (odd) sign = -1.0;
    a = -a;
  }
  if (fabs(b) < 0x1p31 && is_integer(b))
    return sign * pow_integer(a, static_cast<std::uint64_t>(fabs(b)), b < 0);
  // e^(b log a), with log a and the product as pairs: the product's error, not its size,
  // reaches the result.
  const dd log_a = log_dd(dd{a, 0});
  const double t = b * log_a.hi;
  if (t > 710) return sign * inf;
  if (t < -746) return sign * 0.0;
  int k = 0;
  const dd e = exp_reduced(log_a * b, k);
  return sign * scale2(e.hi, k);
}

}  // namespace tapeless::detail::cx
