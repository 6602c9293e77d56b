// Every op against LibTorch, value and gradient, in float and double, over ordinary inputs and
// the edges: kinks (relu, abs at 0; max, min at ties), saturation (sigmoid, softplus, tanh at
// +-100 and +-1000), base 0 and negative bases for pow, and points outside a domain (log and
// sqrt of negatives, division by zero), infinities and NaN, where both must give the same
// infinities or NaNs.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>

#include <tapeless/tapeless.hpp>

#include "reference_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
const tt::points unary_points{-inf, -1000.0, -100.0, -20.0, -3.7, -1.0, -0.5, -1e-3, -0.0, 0.0,
                              1e-3, 0.5,     1.0,    2.6,   20.0, 100.0, 1000.0, inf, nan};
const tt::points binary_points{-inf, -2.5, -1.0, 0.0, 0.5, 1.0, 3.0, inf, nan};
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

TEST_CASE("softplus above PyTorch's threshold: PyTorch returns x, tapeless stays within e^-x of it",
          "[reference][ops]") {
  // torch.nn.functional.softplus(x) is x for x > 20 (its default threshold); log(1 + e^x) differs
  // from x by about e^-x there, which double precision can still see below x = 37.
  constexpr auto x = tl::param<"x">;
  for (double v : {20.5, 25.0, 30.0, 36.0}) {
    INFO("x = " << v);
    const auto torch = tapeless::reference::evaluate(tt::describe(tl::softplus(x)), {{"x", v}});
    CHECK(torch.value == v);
    CHECK(torch.gradients.at("x") == 1);
    const auto r = tl::value_and_grad(tl::softplus(x), x).at(x = v);
    const long double exact = v;
    tt::check_close(r.value, static_cast<double>(std::log1p(std::exp(exact))), tt::value_tolerance<double>, "value");
    tt::check_close(r.grad, static_cast<double>(1 / (1 + std::exp(-exact))), tt::derivative_tolerance<double>,
                    "gradient");
    CHECK(std::fabs(r.value - torch.value) <= 1.01 * std::exp(-v));
    CHECK(std::fabs(r.grad - torch.gradients.at("x")) <= 1.01 * std::exp(-v));
  }
}
