#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("sqrt: against std::sqrt and 1 / (2 sqrt a)", "[ops][sqrt]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::sqrt(a); };
  const auto derivative = [](long double a) { return 1 / (2 * std::sqrt(a)); };
  tt::check_unary(tl::sqrt(x), x, oracle, derivative, tt::positive_points);
  tt::check_unary(tl::sqrt(x), x, oracle, derivative, tt::points{1e-30, 1e-6, 1e6, 1e30});
}

TEMPLATE_TEST_CASE("sqrt: at 0 the value is 0 and the gradient +inf, as PyTorch", "[ops][sqrt]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto r = tl::value_and_grad(tl::sqrt(x), x).at(x = TestType(0));
  CHECK(r.value == 0);
  CHECK(std::isinf(r.grad));
  CHECK(r.grad > 0);
}
