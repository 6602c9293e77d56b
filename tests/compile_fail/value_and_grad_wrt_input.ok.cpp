// w is a param, so it has a gradient.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double loss_and_slope() {
  const auto r = tl::value_and_grad(tl::square(x - w), w).at(x = 1.0, w = 2.0);
  return r.value + r.grad;
}
