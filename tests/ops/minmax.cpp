#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <utility>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {
// Share of the gradient that an operand receives: all when it is selected, half at a tie
// (torch.maximum / torch.minimum), none otherwise.
long double share(bool selected, bool tie) { return tie ? 0.5L : (selected ? 1.0L : 0.0L); }

const tt::points some_points{-3.7, -1.0, -0.21, 0.0, 0.3, 1.0, 4.2};
const auto at_tie = [](double a, double b) { return a == b; };
}  // namespace

TEMPLATE_TEST_CASE("max: against the larger operand, ties split the gradient", "[ops][max]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  tt::check_binary(
      tl::max(x, y), x, y, [](long double a, long double b) { return a > b ? a : b; },
      [](long double a, long double b) { return share(a > b, a == b); },
      [](long double a, long double b) { return share(b > a, a == b); }, tt::grid(some_points, some_points), at_tie);
}

TEMPLATE_TEST_CASE("min: against the smaller operand, ties split the gradient", "[ops][min]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  tt::check_binary(
      tl::min(x, y), x, y, [](long double a, long double b) { return a < b ? a : b; },
      [](long double a, long double b) { return share(a < b, a == b); },
      [](long double a, long double b) { return share(b < a, a == b); }, tt::grid(some_points, some_points), at_tie);
}

TEMPLATE_TEST_CASE("max, min: ties give half to each operand, as PyTorch", "[ops][max][min]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  for (const TestType v : {TestType(-2), TestType(0), TestType(1.5)}) {
    const auto high = tl::grad(tl::max(x, y), x, y).at(x = v, y = v);
    const auto low = tl::grad(tl::min(x, y), x, y).at(x = v, y = v);
    CHECK(high[x] == 0.5);
    CHECK(high[y] == 0.5);
    CHECK(low[x] == 0.5);
    CHECK(low[y] == 0.5);
  }
  // The same subexpression on both sides: the halves add up to the whole gradient.
  CHECK(tl::grad(tl::max(x, x), x).at(x = TestType(0.7)) == 1);
}

TEMPLATE_TEST_CASE("max, min: a number on either side", "[ops][max][min]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto not_at = [](double threshold) { return [threshold](double a) { return a == threshold; }; };
  tt::check_unary(
      tl::max(x, 0.5), x, [](long double a) { return a > 0.5L ? a : 0.5L; },
      [](long double a) { return share(a > 0.5L, a == 0.5L); }, tt::points{-1.0, 0.3, 0.5, 0.7, 2.0}, not_at(0.5));
  tt::check_unary(
      tl::min(2.0, x), x, [](long double a) { return a < 2 ? a : 2.0L; },
      [](long double a) { return share(a < 2, a == 2); }, tt::points{-1.0, 1.9, 2.0, 2.1, 5.0}, not_at(2.0));
}

TEMPLATE_TEST_CASE("max, min: a NaN operand gives NaN, and both operands the whole gradient, as PyTorch",
                   "[ops][max][min]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  const TestType nan = std::numeric_limits<TestType>::quiet_NaN();
  for (const auto& [a, b] : {std::pair{nan, TestType(1)}, std::pair{TestType(1), nan}, std::pair{nan, nan}}) {
    INFO("(" << a << ", " << b << ")");
    const auto high = tl::value_and_grad(tl::max(x, y), x, y).at(x = a, y = b);
    const auto low = tl::value_and_grad(tl::min(x, y), x, y).at(x = a, y = b);
    CHECK(std::isnan(high.value));
    CHECK(std::isnan(low.value));
    CHECK(high.grad[x] == 1);
    CHECK(high.grad[y] == 1);
    CHECK(low.grad[x] == 1);
    CHECK(low.grad[y] == 1);
  }
}
