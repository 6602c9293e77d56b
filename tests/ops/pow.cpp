#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

// PyTorch's conventions where the calculus leaves a choice: d(a^b)/da = 0 when b = 0 (even at
// a = 0), and d(a^b)/db = 0 when a = 0 and b >= 0.

TEMPLATE_TEST_CASE("pow: integer exponents over bases of both signs", "[ops][pow]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  for (int n : {0, 1, 2, 3, 4}) {
    INFO("exponent " << n);
    tt::check_unary(
        tl::pow(x, n), x, [n](long double a) { return std::pow(a, n); },
        [n](long double a) { return n == 0 ? 0.0L : n * std::pow(a, n - 1); }, tt::general_points);
  }
  for (int n : {-1, -2, -3}) {
    INFO("exponent " << n);
    tt::check_unary(
        tl::pow(x, n), x, [n](long double a) { return std::pow(a, n); },
        [n](long double a) { return n * std::pow(a, n - 1); }, tt::points{-3.7, -1.0, -0.21, 0.3, 1.0, 4.2});
  }
}

TEMPLATE_TEST_CASE("pow: real exponents over positive bases", "[ops][pow]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  for (double r : {0.5, 1.5, 2.5, -0.7, 1.0 / 3.0}) {
    INFO("exponent " << r);
    tt::check_unary(
        tl::pow(x, r), x, [r](long double a) { return std::pow(a, static_cast<long double>(static_cast<TestType>(r))); },
        [r](long double a) {
          const long double e = static_cast<TestType>(r);
          return e * std::pow(a, e - 1);
        },
        tt::positive_points);
  }
  tt::check_unary(
      tl::pow(x, tl::lit<3.0>), x, [](long double a) { return a * a * a; }, [](long double a) { return 3 * a * a; },
      tt::general_points);
}

TEMPLATE_TEST_CASE("pow: base 0", "[ops][pow]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr TestType zero = 0;
  const TestType inf = std::numeric_limits<TestType>::infinity();
  CHECK(tl::value(tl::pow(x, 0), x = zero) == 1);
  CHECK(tl::grad(tl::pow(x, 0), x).at(x = zero) == 0);
  CHECK(tl::grad(tl::pow(x, 1), x).at(x = zero) == 1);
  CHECK(tl::grad(tl::pow(x, 2), x).at(x = zero) == 0);
  CHECK(tl::grad(tl::pow(x, 1.5), x).at(x = zero) == 0);
  CHECK(tl::grad(tl::pow(x, 0.5), x).at(x = zero) == inf);
  CHECK(tl::value(tl::pow(x, -1), x = zero) == inf);
  CHECK(tl::grad(tl::pow(x, -1), x).at(x = zero) == -inf);
  CHECK(tl::grad(tl::pow(x, -2), x).at(x = zero) == -inf);
}

TEMPLATE_TEST_CASE("pow: a variable exponent", "[ops][pow]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  const auto oracle = [](long double a, long double b) { return std::pow(a, b); };
  const auto d_base = [](long double a, long double b) { return b == 0 ? 0.0L : b * std::pow(a, b - 1); };
  const auto d_exponent = [](long double a, long double b) {
    return a == 0 && b >= 0 ? 0.0L : std::pow(a, b) * std::log(a);
  };
  tt::check_binary(tl::pow(x, y), x, y, oracle, d_base, d_exponent,
                   tt::grid(tt::positive_points, {-2.5, -1.0, -0.3, 0.0, 0.5, 1.0, 2.0, 3.5}));
  // Base 0 and negative bases: the conventions above, and NaN for log of a negative base.
  const auto not_positive = [](double a, double) { return a <= 0; };
  tt::check_binary(tl::pow(x, y), x, y, oracle, d_base, d_exponent,
                   tt::grid({0.0, -2.0, -0.5}, {0.0, 1.0, 2.0, 3.0}), not_positive);
  tt::check_binary(tl::pow(x, y), x, y, oracle, d_base, d_exponent, tt::grid({0.0}, {0.5, 1.5, -1.0}), not_positive);
  const auto r = tl::grad(tl::pow(x, y), x, y).at(x = TestType(-2), y = TestType(3));
  CHECK(r[x] == 12);
  CHECK(std::isnan(r[y]));
}

TEMPLATE_TEST_CASE("pow: a number as the base", "[ops][pow]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(
      tl::pow(2.0, x), x, [](long double a) { return std::pow(2.0L, a); },
      [](long double a) { return std::pow(2.0L, a) * std::log(2.0L); }, tt::general_points);
}
