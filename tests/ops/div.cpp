#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("div: x / y against a / b", "[ops][div]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  tt::check_binary(
      x / y, x, y, [](long double a, long double b) { return a / b; }, [](long double, long double b) { return 1 / b; },
      [](long double a, long double b) { return -a / (b * b); },
      tt::grid(tt::general_points, {-3.0, -0.5, 0.1, 0.25, 7.0, 1e3}));
}

TEMPLATE_TEST_CASE("div: a number on either side", "[ops][div]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(x / 2.0, x, [](long double a) { return a / 2; }, [](long double) { return 0.5L; }, tt::general_points);
  tt::check_unary(
      2.0 / x, x, [](long double a) { return 2 / a; }, [](long double a) { return -2 / (a * a); },
      tt::points{-3.7, -1.0, -0.21, 0.05, 0.3, 1.0, 4.2, 100.0});
}

TEMPLATE_TEST_CASE("div: division by zero gives infinities, as IEEE arithmetic and PyTorch do", "[ops][div]", float,
                   double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  const auto r = tl::value_and_grad(x / y, x, y).at(x = TestType(1), y = TestType(0));
  CHECK(std::isinf(r.value));
  CHECK(r.value > 0);
  CHECK(std::isinf(r.grad[x]));
  CHECK(r.grad[x] > 0);
  CHECK(std::isinf(r.grad[y]));
  CHECK(r.grad[y] < 0);
}
