// Second derivatives of scalar graphs (forward over reverse on dual numbers): in constant
// expressions, against closed forms, and for every scalar op against central differences of
// the gradient; the Hessian is symmetric and H v is the Hessian times v.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>

#include <tapeless/tapeless.hpp>

#include "support/gradcheck.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

TEST_CASE("second derivatives in constant expressions", "[engine][second_order]") {
  constexpr auto x = tl::scalar<"x">;
  constexpr auto y = tl::scalar<"y">;
  STATIC_REQUIRE(tl::hessian(x * x * x, x).at(x = 2.0) == 12.0);
  STATIC_REQUIRE(tl::hessian(tl::pow(x, 4) + 3 * x, x).at(x = -1.0) == 12.0);
  // f = x² y + y³: H = [[2y, 2x], [2x, 6y]].
  constexpr auto h = tl::hessian(x * x * y + y * y * y, tl::wrt(x, y)).at(x = 1.5, y = -2.0);
  STATIC_REQUIRE(h[0][0] == -4.0);
  STATIC_REQUIRE(h[0][1] == 3.0);
  STATIC_REQUIRE(h[1][0] == 3.0);
  STATIC_REQUIRE(h[1][1] == -12.0);
  constexpr auto r = tl::hvp(x * x * y + y * y * y, tl::wrt(x, y), 1.0, 2.0).at(x = 1.5, y = -2.0);
  STATIC_REQUIRE(r.value == 1.5 * 1.5 * -2.0 - 8.0);
  STATIC_REQUIRE(r.grad[0] == 2 * 1.5 * -2.0);
  STATIC_REQUIRE(r.grad[1] == 1.5 * 1.5 + 3 * 4.0);
  STATIC_REQUIRE(r.hvp[0] == -4.0 + 2 * 3.0);
  STATIC_REQUIRE(r.hvp[1] == 3.0 + 2 * -12.0);
  // Transcendental ops run in constant expressions through constexpr elementary functions.
  constexpr double d2 = tl::hessian(tl::exp(x) * tl::sin(x), x).at(x = 0.5);
  STATIC_REQUIRE(d2 > 2 * 1.6487212707001282 * 0.8775825618903728 - 1e-12);
  STATIC_REQUIRE(d2 < 2 * 1.6487212707001282 * 0.8775825618903728 + 1e-12);
}

namespace {

/// Checks the Hessian of e (over x and y) at (a, b) against central differences of its
/// gradient, its symmetry, and H v against hvp.
template <class T, class E, class X, class Y>
void check_hessian(const E& e, const X& x, const Y& y, double a, double b, const char* what) {
  INFO(what << " at (" << a << ", " << b << ")");
  const auto h = tl::hessian(e, tl::wrt(x, y)).at(x = static_cast<T>(a), y = static_cast<T>(b));
  const auto gradient = [&](T u, T v, std::size_t k) {
    const auto g = tl::grad(e, x, y).at(x = u, y = v);
    return k == 0 ? g[x] : g[y];
  };
  for (std::size_t i = 0; i < 2; ++i) {
    const tt::difference dx = tt::central_difference<T>([&](T u) { return gradient(u, static_cast<T>(b), i); }, static_cast<T>(a));
    const tt::difference dy = tt::central_difference<T>([&](T v) { return gradient(static_cast<T>(a), v, i); }, static_cast<T>(b));
    INFO("row " << i << ": H = " << h[i][0] << ", " << h[i][1] << "; differences " << dx.derivative << ", " << dy.derivative);
    CHECK(tt::agrees_with_difference<T>(h[i][0], dx));
    CHECK(tt::agrees_with_difference<T>(h[i][1], dy));
  }
  CHECK(std::abs(static_cast<double>(h[0][1] - h[1][0])) <= 1e-5 * (1 + std::abs(static_cast<double>(h[0][1]))));
  const auto r = tl::hvp(e, tl::wrt(x, y), 0.75, -1.25).at(x = static_cast<T>(a), y = static_cast<T>(b));
  for (std::size_t i = 0; i < 2; ++i)
    CHECK(static_cast<double>(r.hvp[i]) ==
          Approx(0.75 * static_cast<double>(h[i][0]) - 1.25 * static_cast<double>(h[i][1])).epsilon(1e-5).margin(1e-6));
}

}  // namespace

TEMPLATE_TEST_CASE("the Hessian of every scalar op against differences of the gradient", "[engine][second_order]",
                   float, double) {
  using T = TestType;
  constexpr auto x = tl::param<"x", tl::shape<>, T>;
  constexpr auto y = tl::param<"y", tl::shape<>, T>;
  // Each op applied to a mix of both leaves, so every entry of H is exercised.
  const auto u = x * y + 0.5 * x * x - y;
  const auto p = x * x + y * y + 0.5;  // positive, for log, sqrt, pow, division
  for (const auto& [a, b] : std::array<std::pair<double, double>, 3>{{{0.7, -0.4}, {-1.3, 0.9}, {0.2, 1.7}}}) {
    check_hessian<T>(tl::exp(u), x, y, a, b, "exp");
    check_hessian<T>(tl::log(p), x, y, a, b, "log");
    check_hessian<T>(tl::sqrt(p), x, y, a, b, "sqrt");
    check_hessian<T>(tl::sin(u) * tl::cos(x), x, y, a, b, "sin, cos");
    check_hessian<T>(tl::tanh(u), x, y, a, b, "tanh");
    check_hessian<T>(tl::sigmoid(u), x, y, a, b, "sigmoid");
    check_hessian<T>(tl::softplus(u), x, y, a, b, "softplus");
    check_hessian<T>(tl::gelu(u), x, y, a, b, "gelu");
    check_hessian<T>(tl::pow(p, 2.5) + tl::pow(p, y), x, y, a, b, "pow");
    check_hessian<T>(u / p, x, y, a, b, "div");
    check_hessian<T>(tl::square(u) * tl::relu(u + 3.0) + tl::abs(u - 5.0) * u, x, y, a, b, "square, relu, abs");
    check_hessian<T>(tl::max(u, x * x) * u + tl::min(u, y) * y, x, y, a, b, "max, min");
    check_hessian<T>(-u * tl::exp(-p) + tl::where(x > y, u * u, p * u), x, y, a, b, "negate, where");
  }
}
