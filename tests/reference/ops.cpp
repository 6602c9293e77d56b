// Every op against LibTorch, value and gradient, in float and double, over ordinary inputs and
// the edges: kinks (relu, abs at 0; max, min at ties), saturation (sigmoid, softplus, tanh at
// +-100 and +-1000), base 0 and negative bases for pow, and points outside a domain (log and
// sqrt of negatives, division by zero), where both must give the same infinities or NaNs.
#include <catch2/catch.hpp>

#include <array>

#include <tapeless/tapeless.hpp>

#include "reference_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {
const tt::points unary_points{-1000.0, -100.0, -20.0, -3.7, -1.0, -0.5, -1e-3, 0.0, 1e-3,
                              0.5,     1.0,    2.6,   20.0, 100.0, 1000.0};
const tt::points binary_points{-2.5, -1.0, 0.0, 0.5, 1.0, 3.0};
}  // namespace

TEMPLATE_TEST_CASE("unary ops against LibTorch", "[reference][ops]", float, double) {
  using T = TestType;
  constexpr auto x = tl::param<"x", tl::shape<>, T>;
  for (double p : unary_points) {
    const std::array<T, 1> at{static_cast<T>(p)};
    tt::check_against_torch(-x, at, x);
    tt::check_against_torch(tl::square(x), at, x);
    tt::check_against_torch(tl::exp(x), at, x);
    tt::check_against_torch(tl::log(x), at, x);
    tt::check_against_torch(tl::sqrt(x), at, x);
    tt::check_against_torch(tl::abs(x), at, x);
    tt::check_against_torch(tl::sin(x), at, x);
    tt::check_against_torch(tl::cos(x), at, x);
    tt::check_against_torch(tl::tanh(x), at, x);
    tt::check_against_torch(tl::sigmoid(x), at, x);
    tt::check_against_torch(tl::relu(x), at, x);
    tt::check_against_torch(tl::softplus(x), at, x);
  }
}

TEMPLATE_TEST_CASE("binary ops against LibTorch, ties and zeros included", "[reference][ops]", float, double) {
  using T = TestType;
  constexpr auto x = tl::param<"x", tl::shape<>, T>;
  constexpr auto y = tl::param<"y", tl::shape<>, T>;
  for (const auto& [a, b] : tt::grid(binary_points, binary_points)) {
    const std::array<T, 2> at{static_cast<T>(a), static_cast<T>(b)};
    tt::check_against_torch(x + y, at, x, y);
    tt::check_against_torch(x - y, at, x, y);
    tt::check_against_torch(x * y, at, x, y);
    tt::check_against_torch(x / y, at, x, y);
    tt::check_against_torch(tl::pow(x, y), at, x, y);
    tt::check_against_torch(tl::max(x, y), at, x, y);
    tt::check_against_torch(tl::min(x, y), at, x, y);
  }
}

TEMPLATE_TEST_CASE("ops with a number operand against LibTorch", "[reference][ops]", float, double) {
  using T = TestType;
  constexpr auto x = tl::param<"x", tl::shape<>, T>;
  for (double p : unary_points) {
    const std::array<T, 1> at{static_cast<T>(p)};
    tt::check_against_torch(x + 3, at, x);
    tt::check_against_torch(1 - x, at, x);
    tt::check_against_torch(x * -0.25, at, x);
    tt::check_against_torch(2.0 / x, at, x);
    tt::check_against_torch(tl::max(x, 0.5), at, x);
    tt::check_against_torch(tl::min(0.0, x), at, x);
    tt::check_against_torch(tl::pow(2.0, x), at, x);
    tt::check_against_torch(x + tl::lit<2.0>, at, x);
  }
}

TEMPLATE_TEST_CASE("pow with integer and real exponents against LibTorch, base 0 included", "[reference][ops]",
                   float, double) {
  using T = TestType;
  constexpr auto x = tl::param<"x", tl::shape<>, T>;
  for (double p : {-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0}) {
    const std::array<T, 1> at{static_cast<T>(p)};
    for (int n : {-3, -2, -1, 0, 1, 2, 3, 4}) {
      INFO("exponent " << n);
      tt::check_against_torch(tl::pow(x, n), at, x);
    }
    for (double r : {-0.7, 0.5, 1.0 / 3.0, 1.5, 2.5}) {
      INFO("exponent " << r);
      tt::check_against_torch(tl::pow(x, r), at, x);
    }
    tt::check_against_torch(tl::pow(x, tl::lit<2.0>), at, x);
  }
}
