// The shared harness must be able to fail: it rejects wrong derivatives, inconsistent op rules
// and unreliable finite differences, and accepts the right ones.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>

#include "support/gradcheck.hpp"

namespace tt = tapeless::testing;

TEST_CASE("is_close: relative and absolute parts, infinities and NaN", "[support]") {
  CHECK(tt::is_close(1.0 + 1e-13, 1.0, {1e-12, 0}));
  CHECK_FALSE(tt::is_close(1.0 + 1e-11, 1.0, {1e-12, 0}));
  CHECK(tt::is_close(1e-20, 0.0, {1e-12, 1e-15}));
  CHECK_FALSE(tt::is_close(1e-10, 0.0, {1e-12, 1e-15}));
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(tt::is_close(inf, inf, {1, 1}));
  CHECK_FALSE(tt::is_close(-inf, inf, {1, 1}));
  CHECK_FALSE(tt::is_close(1e300, inf, {1, 1}));
  CHECK(tt::is_close(nan, nan, {0, 0}));
  CHECK_FALSE(tt::is_close(nan, 0.0, {1, 1}));
}

TEMPLATE_TEST_CASE("central_difference: accurate on smooth functions, wrong derivatives rejected", "[support]", float,
                   double) {
  using T = TestType;
  const auto f = [](T v) { return std::exp(v) * std::sin(v); };
  for (double p : {-2.0, -0.3, 0.0, 0.9, 3.0, 40.0}) {
    const T x = static_cast<T>(p);
    const double exact = std::exp(static_cast<double>(x)) * (std::sin(static_cast<double>(x)) + std::cos(static_cast<double>(x)));
    const tt::difference fd = tt::central_difference<T>(f, x);
    INFO("x = " << p << ", fd = " << fd.derivative << " +- " << fd.error << ", exact " << exact);
    CHECK(tt::agrees_with_difference<T>(exact, fd));
    CHECK_FALSE(tt::agrees_with_difference<T>(exact * 1.01 + 0.01, fd));
  }
}

TEMPLATE_TEST_CASE("central_difference: a kink within the step is reported as unreliable", "[support]", float,
                   double) {
  using T = TestType;
  const auto f = [](T v) { return std::fabs(v); };
  const tt::difference at_kink = tt::central_difference<T>(f, T(0));
  CHECK_FALSE(tt::agrees_with_difference<T>(0.0, tt::central_difference<T>(f, static_cast<T>(tt::difference_step<T> / 2))));
  CHECK(at_kink.derivative == 0.0);  // symmetric: the caller must skip kinks itself
}

namespace {
// An op rule whose JVP disagrees with its VJP by a factor 1.001.
struct inconsistent_rule {
  static constexpr auto forward(const auto& a) { return a * a; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) { return 2 * g * a; }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) { return 2.002f * a * da; }
};
struct consistent_rule {
  static constexpr auto forward(const auto& a) { return a * a; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) { return 2 * g * a; }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) { return 2 * a * da; }
};
}  // namespace

TEMPLATE_TEST_CASE("rule products: an inconsistent JVP is detected", "[support]", float, double) {
  using T = TestType;
  CHECK(tt::rule_products_agree<T>(tt::unary_rule_products<consistent_rule>(T(1.5), T(-2), T(0.75))));
  CHECK_FALSE(tt::rule_products_agree<T>(tt::unary_rule_products<inconsistent_rule>(T(1.5), T(-2), T(0.75))));
}
