// EXPECT: tapeless::value_and_grad: this leaf is an input, which has no gradient; declare it with tl::param
// x is declared with tl::input, so it is data and has no gradient; the message names the
// function that was called.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double loss_and_slope() {
  const auto r = tl::value_and_grad(tl::square(x - w), x).at(x = 1.0, w = 2.0);
  return r.value + r.grad;
}
