// The constexpr elementary functions (detail/constexpr_math.hpp) that scalar graphs use in
// constant expressions: against the C library over many random arguments and at the edges
// (zeros, subnormals, infinities, NaN, overflow and underflow), with the accuracy the header
// states; and evaluated at compile time.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <tapeless/detail/constexpr_math.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;
namespace cx = tapeless::detail::cx;

namespace {

using limits = std::numeric_limits<double>;
constexpr double infinity = limits::infinity();
constexpr double qnan = limits::quiet_NaN();
constexpr double denorm_min = limits::denorm_min();
constexpr double min_normal = limits::min();
constexpr double max = limits::max();

/// Distance in units in the last place: neighbouring doubles are 1 apart (across 0 too, where
/// +0 and -0 are 0 apart); a NaN is 0 from a NaN and infinitely far from anything else.
std::uint64_t ulp_distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : limits::max();
  const auto ordered = [](double x) {
    const auto bits = std::bit_cast<std::int64_t>(x);
    return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
  };
  const std::int64_t d = ordered(a) - ordered(b);
  return d < 0 ? static_cast<std::uint64_t>(-d) : static_cast<std::uint64_t>(d);
}

/// The same double, bit for bit (the sign of a zero counts; any NaN matches a NaN).
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

using draw = double (*)(std::mt19937_64&);

double uniform(std::mt19937_64& g, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
/// A magnitude spread evenly over binades 2^lo .. 2^hi, with a random sign when `signed_`.
double binades(std::mt19937_64& g, double lo, double hi, bool signed_) {
  const double m = std::exp2(uniform(g, lo, hi));
  return signed_ && (g() & 1) ? -m : m;
}

struct worst_case {
  std::uint64_t ulps = 0;
  double x = 0;
  double y = 0;
};

/// The largest distance between f and the C library's g over `count` arguments drawn by `next`.
template <class F, class G, class Next>
worst_case compare(F f, G g, Next next, std::uint64_t seed, int count) {
  std::mt19937_64 engine(seed);
  worst_case w;
  for (int i = 0; i < count; ++i) {
    const double x = next(engine);
    const std::uint64_t u = ulp_distance(f(x), g(x));
    if (u > w.ulps) w = {u, x, 0};
  }
  return w;
}

template <class F, class G>
void check_range(const char* what, F f, G g, double (*next)(std::mt19937_64&), std::uint64_t seed, std::uint64_t bound,
                 int count = 50000) {
  const worst_case w = compare(f, g, next, seed, count);
  INFO(what << ": worst " << w.ulps << " ulp at x = " << std::hexfloat << w.x << " (" << std::defaultfloat
            << w.x << "): constexpr " << f(w.x) << ", C library " << g(w.x));
  CHECK(w.ulps <= bound);
}

/// At each x, f and the C library's g agree bit for bit where g gives a zero, an infinity or NaN
/// (signs included), and within `bound` ulp elsewhere (bit for bit when `bound` is 0).
template <class F, class G>
void check_edges(const char* what, F f, G g, const std::vector<double>& xs, std::uint64_t bound = 0) {
  for (double x : xs) {
    INFO(what << " at x = " << std::hexfloat << x << " (" << std::defaultfloat << x << "): constexpr " << f(x)
              << ", C library " << g(x));
    if (bound == 0 || std::isnan(g(x)) || std::isinf(g(x)) || g(x) == 0) CHECK(same(f(x), g(x)));
    else CHECK(ulp_distance(f(x), g(x)) <= bound);
  }
}

}  // namespace

TEST_CASE("constexpr exp and expm1: within 1 ulp of the C library", "[detail][constexpr_math]") {
  const auto f = [](double x) { return cx::exp(x); };
  const auto g = [](double x) { return std::exp(x); };
  check_range("exp over [-746, 710]", f, g, [](std::mt19937_64& e) { return uniform(e, -746, 710); }, 1001, 1);
  check_range("exp near 0", f, g, [](std::mt19937_64& e) { return binades(e, -60, 1, true); }, 1002, 1);
  check_range("exp with a subnormal result", f, g, [](std::mt19937_64& e) { return uniform(e, -745.2, -708); }, 1003, 1);
  check_range("exp near the overflow", f, g, [](std::mt19937_64& e) { return uniform(e, 700, 709.78); }, 1004, 1);
  check_edges("exp", f, g,
              {0.0, -0.0, denorm_min, -denorm_min, min_normal, 1e-300, 1.0, -1.0, 0x1.62e42fefa39efp+9,
               709.782712893384, std::nextafter(709.782712893384, infinity), 710.0, -708.39641853226408,
               -745.13321910194110, -745.13321910194122, -746.0, infinity, -infinity, qnan, max, -max},
              1);

  const auto fm1 = [](double x) { return cx::expm1(x); };
  const auto gm1 = [](double x) { return std::expm1(x); };
  check_range("expm1 over [-50, 710]", fm1, gm1, [](std::mt19937_64& e) { return uniform(e, -50, 710); }, 1011, 1);
  check_range("expm1 near 0", fm1, gm1, [](std::mt19937_64& e) { return binades(e, -60, 1, true); }, 1012, 1);
  check_range("expm1 over [-1, 1]", fm1, gm1, [](std::mt19937_64& e) { return uniform(e, -1, 1); }, 1013, 1);
  check_edges("expm1", fm1, gm1,
              {0.0, -0.0, denorm_min, -denorm_min, min_normal, -min_normal, 1e-300, -1e-300, 0x1p-54, 0.34, 0.35,
               -0.34, -0.35, 40.0, 41.0, -40.0, -41.0, 709.782712893384, 710.0, -745.0, infinity, -infinity, qnan, max, -max},
              1);
}

TEST_CASE("constexpr log and log1p: within 1 ulp of the C library", "[detail][constexpr_math]") {
  const auto f = [](double x) { return cx::log(x); };
  const auto g = [](double x) { return std::log(x); };
  check_range("log over all binades", f, g, [](std::mt19937_64& e) { return binades(e, -1074, 1024, false); }, 1021, 1);
  check_range("log near 1", f, g, [](std::mt19937_64& e) { return uniform(e, 0.5, 2); }, 1022, 1);
  check_range("log just around 1", f, g, [](std::mt19937_64& e) { return 1 + binades(e, -52, -4, true); }, 1023, 1);
  check_edges("log", f, g,
              {1.0, 2.0, 0.5, 10.0, 0.0, -0.0, -1.0, -denorm_min, denorm_min, 2 * denorm_min, min_normal,
               std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), max, infinity, -infinity, qnan},
              1);

  const auto fp = [](double x) { return cx::log1p(x); };
  const auto gp = [](double x) { return std::log1p(x); };
  check_range("log1p near 0", fp, gp, [](std::mt19937_64& e) { return binades(e, -60, -1, true); }, 1031, 1);
  check_range("log1p over (-1, 0)", fp, gp, [](std::mt19937_64& e) { return uniform(e, -1, 0); }, 1032, 1);
  check_range("log1p over all positive binades", fp, gp,
              [](std::mt19937_64& e) { return binades(e, -1074, 1024, false); }, 1033, 1);
  check_edges("log1p", fp, gp,
              {0.0, -0.0, denorm_min, -denorm_min, 3 * denorm_min, min_normal, -min_normal, 1e-300, -1e-300, 0x1p-53,
               -0x1p-53, 1.0, -0.5, std::nextafter(-1.0, 0.0), -1.0, -2.0, max, infinity, -infinity, qnan},
              1);
}

TEST_CASE("constexpr sqrt: correctly rounded", "[detail][constexpr_math]") {
  const auto f = [](double x) { return cx::sqrt(x); };
  const auto g = [](double x) { return std::sqrt(x); };
  check_range("sqrt over all binades", f, g, [](std::mt19937_64& e) { return binades(e, -1074, 1024, false); }, 1041, 0);
  check_range("sqrt over [0, 4]", f, g, [](std::mt19937_64& e) { return uniform(e, 0, 4); }, 1042, 0);
  check_edges("sqrt", f, g,
              {0.0, -0.0, denorm_min, 2 * denorm_min, min_normal, 0.25, 2.0, 4.0, 1e300, max, -1.0, -denorm_min, infinity,
               -infinity, qnan});
  // Perfect squares are exact.
  for (double k = 1; k < 5000; k += 7) CHECK(cx::sqrt(k * k) == k);
}

TEST_CASE("constexpr sin and cos: within 1 ulp of the C library for |x| < 1e4", "[detail][constexpr_math]") {
  const auto fs = [](double x) { return cx::sin(x); };
  const auto gs = [](double x) { return std::sin(x); };
  const auto fc = [](double x) { return cx::cos(x); };
  const auto gc = [](double x) { return std::cos(x); };
  const draw wide = [](std::mt19937_64& e) { return uniform(e, -1e4, 1e4); };
  const draw small = [](std::mt19937_64& e) { return binades(e, -60, 2, true); };
  check_range("sin over (-1e4, 1e4)", fs, gs, wide, 1051, 1);
  check_range("sin near 0", fs, gs, small, 1052, 1);
  check_range("cos over (-1e4, 1e4)", fc, gc, wide, 1053, 1);
  check_range("cos near 0", fc, gc, small, 1054, 1);
  // Near multiples of pi/2, where the reduction cancels most digits.
  const draw near_half_pi = [](std::mt19937_64& e) {
    const double k = std::floor(uniform(e, 1, 6366));
    return std::nextafter(k * 1.5707963267948966, (e() & 1) ? infinity : -infinity);
  };
  check_range("sin near multiples of pi/2", fs, gs, near_half_pi, 1055, 1, 20000);
  check_range("cos near multiples of pi/2", fc, gc, near_half_pi, 1056, 1, 20000);
  const std::vector<double> edges{0.0,
                                  -0.0,
                                  denorm_min,
                                  -denorm_min,
                                  min_normal,
                                  1e-300,
                                  0x1p-26,
                                  0x1p-27,
                                  0.7853981633974483,
                                  1.5707963267948966,
                                  3.141592653589793,
                                  -3.141592653589793,
                                  4.71238898038469,
                                  6.283185307179586,
                                  355.0,
                                  9999.0,
                                  infinity,
                                  -infinity,
                                  qnan};
  check_edges("sin", fs, gs, edges, 1);
  check_edges("cos", fc, gc, edges, 1);
  CHECK(same(cx::sin(-0.0), -0.0));
  CHECK(same(cx::cos(-0.0), 1.0));
}

TEST_CASE("constexpr tanh within 2 ulp and erf within 1 ulp of the C library", "[detail][constexpr_math]") {
  const auto ft = [](double x) { return cx::tanh(x); };
  const auto gt = [](double x) { return std::tanh(x); };
  check_range("tanh over (-25, 25)", ft, gt, [](std::mt19937_64& e) { return uniform(e, -25, 25); }, 1061, 2);
  check_range("tanh near 0", ft, gt, [](std::mt19937_64& e) { return binades(e, -60, 3, true); }, 1062, 2);
  check_edges("tanh", ft, gt,
              {0.0, -0.0, denorm_min, -denorm_min, min_normal, 1e-300, 0x1p-28, 0.5, 19.0, 22.0, 23.0, -23.0, max,
               infinity, -infinity, qnan},
              2);

  const auto fe = [](double x) { return cx::erf(x); };
  const auto ge = [](double x) { return std::erf(x); };
  check_range("erf over (-7, 7)", fe, ge, [](std::mt19937_64& e) { return uniform(e, -7, 7); }, 1071, 1);
  check_range("erf near 0", fe, ge, [](std::mt19937_64& e) { return binades(e, -60, 3, true); }, 1072, 1);
  check_range("erf over [1.5, 2.5]", fe, ge, [](std::mt19937_64& e) { return uniform(e, 1.5, 2.5); }, 1073, 1);
  check_edges("erf", fe, ge,
              {0.0, -0.0, denorm_min, -denorm_min, min_normal, 1e-300, 1e-10, 1.0, std::nextafter(2.0, 0.0), 2.0, 5.9,
               6.0, -6.0, max, infinity, -infinity, qnan},
              1);
}

TEST_CASE("constexpr pow: exact where the result is a double, else within 1 ulp", "[detail][constexpr_math]") {
  // The special cases of C11 F.10.4.4, bit for bit.
  struct special {
    double a, b;
  };
  const special cases[] = {
      {qnan, 0.0},   {qnan, -0.0},  {1.0, qnan},  {1.0, infinity},   {1.0, -infinity},  {-1.0, infinity},   {-1.0, -infinity},
      {0.0, 3.0},   {-0.0, 3.0},  {0.0, 4.0},  {-0.0, 4.0},  {-0.0, 0.5},  {0.0, -3.0},   {-0.0, -3.0},
      {-0.0, -4.0}, {0.0, -0.5},  {-0.0, -infinity}, {0.0, infinity},  {0.5, infinity},   {0.5, -infinity},   {-0.5, infinity},
      {-0.5, -infinity}, {2.0, infinity},   {-2.0, infinity}, {2.0, -infinity},  {-2.0, -infinity}, {infinity, 2.0},    {infinity, -2.0},
      {-infinity, 3.0},  {-infinity, 2.0},  {-infinity, 0.5}, {-infinity, -3.0}, {-infinity, -2.0}, {-infinity, -0.5},  {-2.0, 0.5},
      {-2.0, qnan},  {qnan, 1.0},   {2.0, qnan},  {-8.0, 1.0 / 3}, {-1.0, 0x1p60}, {-2.0, 0x1p60}, {-0.5, 0x1p60},
      {-2.0, 0x1p53 + 1}, {-0.0, 0x1p53 + 2}, {-2.0, -0x1p60}, {-0.5, -(0x1p53 - 1)}};
  for (const special& c : cases) {
    INFO("pow(" << c.a << ", " << c.b << "): constexpr " << cx::pow(c.a, c.b) << ", C library " << std::pow(c.a, c.b));
    CHECK(same(cx::pow(c.a, c.b), std::pow(c.a, c.b)));
  }

  // Integer exponents: exact whenever the result is a double.
  for (int base = -20; base <= 20; ++base)
    for (int n = -40; n <= 60; ++n) {
      const double a = base, b = n;
      const double expected = std::pow(a, b);
      const bool exact = n >= 0 && std::fabs(expected) < 0x1p53;
      INFO("pow(" << base << ", " << n << ") = " << expected << ", constexpr " << cx::pow(a, b));
      if (exact) CHECK(same(cx::pow(a, b), expected));
      else CHECK(ulp_distance(cx::pow(a, b), expected) <= 1);
    }
  for (int n = -1074; n <= 1023; ++n) {
    INFO("pow(2, " << n << ") and pow(-0.5, " << n << ")");
    CHECK(same(cx::pow(2.0, n), std::ldexp(1.0, n)));
    CHECK(same(cx::pow(-0.5, -n), (n % 2 ? -1.0 : 1.0) * std::ldexp(1.0, n)));
  }
  CHECK(same(cx::pow(2.0, 1024.0), infinity));
  CHECK(same(cx::pow(2.0, -1075.0), 0.0));
  CHECK(same(cx::pow(-2.0, -1075.0), -0.0));
  CHECK(cx::pow(10.0, 22.0) == 1e22);
  CHECK(cx::pow(3.0, 33.0) == 5559060566555523.0);

  // Correctly rounded results (from exact rational powers, or from 90-digit arithmetic for the
  // non-integer exponents), where the C library's may be one ulp off.
  struct known {
    double a, b, result;
  };
  const known rounded[] = {{1.1, 17, 0x1.437c70ef29810p+2},
                           {0.3, -7, 0x1.1dc7944f21208p+12},
                           {3.7, 200, 0x1.6b4f28b59d65bp+377},
                           {-1.0000001, 12345, -0x1.0050f442f4b3dp+0},
                           {0.999, -700, 0x1.01d9c374d47e8p+1},
                           {7.0, -300, 0x1.bbb9b4e610170p-843},
                           {1.5, 1700, 0x1.5a63b3b6d05e3p+994},
                           {10.0, 0.3, 0x1.fec982d5bb8afp+0},
                           {1e-300, 0.99, 0x1.4ed8b04671dc9p-987},
                           {2.5, -171.3, 0x1.77c5defd96d94p-227},
                           {0.5, 1074.5, denorm_min}};
  for (const known& k : rounded) {
    INFO("pow(" << k.a << ", " << k.b << "): constexpr " << std::hexfloat << cx::pow(k.a, k.b) << ", correctly rounded "
                << k.result);
    CHECK(same(cx::pow(k.a, k.b), k.result));
  }

  // Random bases and integer exponents, including results near overflow and in the subnormals.
  const auto f = [](double a, double b) { return cx::pow(a, b); };
  const auto check_pairs = [&](const char* what, auto next, std::uint64_t seed, int count) {
    std::mt19937_64 engine(seed);
    worst_case w;
    for (int i = 0; i < count; ++i) {
      const auto [a, b] = next(engine);
      const std::uint64_t u = ulp_distance(f(a, b), std::pow(a, b));
      if (u > w.ulps) w = {u, a, b};
    }
    INFO(what << ": worst " << w.ulps << " ulp at pow(" << std::hexfloat << w.x << ", " << w.y << ") ("
              << std::defaultfloat << w.x << ", " << w.y << "): constexpr " << f(w.x, w.y) << ", C library "
              << std::pow(w.x, w.y));
    CHECK(w.ulps <= 1);
  };
  struct pair {
    double a, b;
  };
  check_pairs(
      "integer exponents",
      [](std::mt19937_64& e) {
        return pair{binades(e, -8, 8, true), static_cast<double>(std::uniform_int_distribution<int>(-200, 200)(e))};
      },
      1081, 50000);
  check_pairs(
      "large integer exponents",
      [](std::mt19937_64& e) {
        return pair{1 + binades(e, -40, -10, true),
                    static_cast<double>(std::uniform_int_distribution<std::int64_t>(-(1ll << 40), 1ll << 40)(e))};
      },
      1082, 20000);
  check_pairs(
      "integer exponents with results at the ends of the range",
      [](std::mt19937_64& e) {
        const double a = binades(e, -4, 4, false) + 1.0;
        const double b = std::round(uniform(e, 700, 745) / std::log(a)) * ((e() & 1) ? 1 : -1);
        return pair{a, b};
      },
      1083, 20000);
  check_pairs(
      "non-integer exponents",
      [](std::mt19937_64& e) { return pair{binades(e, -20, 20, false), uniform(e, -30, 30)}; }, 1084, 50000);
  check_pairs(
      "non-integer exponents with large results",
      [](std::mt19937_64& e) { return pair{binades(e, -1074, 1024, false), uniform(e, -1.5, 1.5)}; }, 1085, 50000);
}

TEST_CASE("the constexpr functions run in constant expressions", "[detail][constexpr_math]") {
  STATIC_REQUIRE(cx::exp(0.0) == 1.0);
  STATIC_REQUIRE(cx::exp(1.0) == 0x1.5bf0a8b145769p+1);  // e, correctly rounded
  STATIC_REQUIRE(cx::expm1(1e-300) == 1e-300);
  STATIC_REQUIRE(cx::log(1.0) == 0.0);
  STATIC_REQUIRE(cx::log(2.0) == 0x1.62e42fefa39efp-1);
  STATIC_REQUIRE(cx::log1p(-0.5) == -0x1.62e42fefa39efp-1);
  STATIC_REQUIRE(cx::sqrt(2.0) == 0x1.6a09e667f3bcdp+0);
  STATIC_REQUIRE(cx::sin(0.5) == 0x1.eaee8744b05fp-2);
  STATIC_REQUIRE(cx::cos(0.5) == 0x1.c1528065b7d5p-1);
  STATIC_REQUIRE(cx::tanh(0.5) == 0x1.d9353d7568af3p-2);
  STATIC_REQUIRE(cx::erf(0.5) == 0x1.0a7ef5c18edd2p-1);
  STATIC_REQUIRE(cx::pow(3.0, 33.0) == 5559060566555523.0);
  STATIC_REQUIRE(cx::pow(2.0, 0.5) == 0x1.6a09e667f3bcdp+0);
  STATIC_REQUIRE(cx::pow(3.7, 200.0) == 0x1.6b4f28b59d65bp+377);
  STATIC_REQUIRE(cx::pow(10.0, 0.3) == 0x1.fec982d5bb8afp+0);
  STATIC_REQUIRE(cx::pow(2.0, -1074.0) == denorm_min);
  STATIC_REQUIRE(cx::erf(-1.9) == -cx::erf(1.9));
  STATIC_REQUIRE(cx::erf(3.0) < 1.0);

  // A scalar graph differentiated at compile time: d/dx e^x sin x = e^x (sin x + cos x).
  constexpr auto x = tl::scalar<"x">;
  constexpr double slope = tl::grad(tl::exp(x) * tl::sin(x), x).at(x = 0.5);
  constexpr double exact = 2.2373281197977840699;  // to 20 digits
  STATIC_REQUIRE(cx::fabs(slope - exact) <= 1e-15);
  CHECK(std::fabs(slope - std::exp(0.5) * (std::sin(0.5) + std::cos(0.5))) <= 1e-15);

  // Every op that calls one of them, in one constant expression.
  constexpr auto y = tl::scalar<"y">;
  constexpr auto loss = tl::log(tl::sqrt(x) + tl::tanh(y)) + tl::pow(x, y) + tl::cos(x * y);
  constexpr auto value_and_slopes = tl::value_and_grad(loss, x, y).at(x = 1.5, y = 0.25);
  const double value = std::log(std::sqrt(1.5) + std::tanh(0.25)) + std::pow(1.5, 0.25) + std::cos(0.375);
  STATIC_REQUIRE(value_and_slopes.value > 0);
  CHECK(std::fabs(value_and_slopes.value - value) <= 1e-15);
  const double dx = 0.5 / std::sqrt(1.5) / (std::sqrt(1.5) + std::tanh(0.25)) + 0.25 * std::pow(1.5, -0.75) -
                    0.25 * std::sin(0.375);
  CHECK(std::fabs(value_and_slopes.grad[x] - dx) <= 1e-15);
}
