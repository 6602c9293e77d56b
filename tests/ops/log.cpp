#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("log: against std::log and 1/a", "[ops][log]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::log(a); };
  const auto derivative = [](long double a) { return 1 / a; };
  tt::check_unary(tl::log(x), x, oracle, derivative, tt::positive_points);
  tt::check_unary(tl::log(x), x, oracle, derivative, tt::points{1e-30, 1e-6, 1e6, 1e30});
}

TEMPLATE_TEST_CASE("log: at 0 the value is -inf and the gradient +inf, as PyTorch", "[ops][log]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto r = tl::value_and_grad(tl::log(x), x).at(x = TestType(0));
  CHECK(std::isinf(r.value));
  CHECK(r.value < 0);
  CHECK(std::isinf(r.grad));
  CHECK(r.grad > 0);
}
