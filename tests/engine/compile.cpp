// compile(loss, wrt(...)): a step object that owns its workspace.
#include <catch2/catch.hpp>
#include <cmath>
#include <type_traits>
#include <xtensor/xtensor.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {
constexpr auto x = tl::input<"x">;
constexpr auto y = tl::input<"y">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto loss = tl::square(w * x + b - y);
constexpr auto s = tl::scalar<"s">;
}  // namespace

TEST_CASE("a compiled step gives the same value and gradients as grad()", "[engine][compile]") {
  auto step = tl::compile(loss, tl::wrt(w, b));
  for (double xv : {-2.0, 0.0, 0.5, 3.0}) {
    const auto r = step(x = xv, y = 1.0, w = 0.7, b = -0.2);
    const auto g = tl::value_and_grad(loss, w, b).at(x = xv, y = 1.0, w = 0.7, b = -0.2);
    CHECK(r.value() == g.value);
    CHECK(r.grad(w) == g.grad[w]);
    CHECK(r.grad(b) == g.grad[b]);
    // By hand: d/dw (w x + b - y)^2 = 2 (w x + b - y) x.
    CHECK(r.grad(w) == Approx(2 * (0.7 * xv - 0.2 - 1.0) * xv));
  }
}

TEST_CASE("training y = 2x + 3 with a compiled step converges (seed 001's model)", "[engine][compile]") {
  auto step = tl::compile(loss, tl::wrt(w, b));
  double W = 0.0, B = 0.0;
  const double xs[] = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
  for (int epoch = 0; epoch < 2000; ++epoch) {
    double gw = 0, gb = 0;
    for (double xv : xs) {
      const auto r = step(tl::bind(x = xv, y = 2 * xv + 3, w = W, b = B));
      gw += r.grad(w);
      gb += r.grad(b);
    }
    W -= 0.05 * gw / 6;
    B -= 0.05 * gb / 6;
  }
  CHECK(W == Approx(2.0).epsilon(1e-9));
  CHECK(B == Approx(3.0).epsilon(1e-9));
}

TEST_CASE("a compiled step works in constant expressions", "[engine][compile]") {
  constexpr double g = [] {
    auto step = tl::compile(s * s + 3 * s + 1, tl::wrt(s));
    return step(s = 2.0).grad(s);
  }();
  STATIC_REQUIRE(g == 7.0);
}

namespace {
template <class S>
inline constexpr bool is_step_v = false;
template <class E, class P>
inline constexpr bool is_step_v<tl::step<E, P>> = true;

constexpr auto tx = tl::input<"tx", tl::shape<3>>;
constexpr auto tw = tl::param<"tw", tl::shape<3>>;
constexpr auto tloss = tl::sum(tl::square(tw * tx));
}  // namespace

TEST_CASE("every compiled computation is one step type over an executor policy", "[engine][compile]") {
  // Scalar and tensor graphs, with and without gradients, and the forward-mode steps.
  STATIC_REQUIRE(is_step_v<decltype(tl::compile(loss, tl::wrt(w, b)))>);
  STATIC_REQUIRE(is_step_v<decltype(tl::compile(tloss, tl::wrt(tw)))>);
  STATIC_REQUIRE(is_step_v<decltype(tl::compile(tloss))>);
  STATIC_REQUIRE(is_step_v<decltype(tl::jvp(tloss, tl::wrt(tw)))>);
  STATIC_REQUIRE(is_step_v<decltype(tl::hvp(tloss, tl::wrt(tw)))>);
  STATIC_REQUIRE(std::is_same_v<decltype(tl::compile(loss, tl::wrt(w)))::policy_type, tl::engine::scalar_policy<std::remove_cvref_t<decltype(loss)>, std::remove_cvref_t<decltype(w)>>>);

  // One path: the same step answers as tl::grad, tl::value and tl::derivative do.
  xt::xtensor<double, 1> X{1.0, -2.0, 0.5}, W{0.3, 0.1, -1.0};
  auto step = tl::compile(tloss, tl::wrt(tw));
  const auto r = step(tx = X, tw = W);
  const xt::xtensor<double, 1> g = tl::grad(tloss, tw).at(tx = X, tw = W);
  CHECK(r.value() == tl::value(tloss, tx = X, tw = W));
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(r.grad(tw)(i) == g(i));
    CHECK(g(i) == Approx(2 * W(i) * X(i) * X(i)));  // d/dw (w x)^2
  }
  const auto d = tl::derivative(loss, w).at(x = 2.0, y = 1.0, w = 0.7, b = -0.2);
  auto scalar_step = tl::compile(loss, tl::wrt(w));
  CHECK(d == scalar_step(x = 2.0, y = 1.0, w = 0.7, b = -0.2).grad(w));
  CHECK(d == Approx(2 * (0.7 * 2.0 - 0.2 - 1.0) * 2.0));
}
