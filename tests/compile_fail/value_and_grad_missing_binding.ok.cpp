// Every leaf is bound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;

double loss_and_slope() {
  const auto [loss, g] = tl::value_and_grad(tl::square(w * x + b), w, b).at(tl::bind(x = 1.0, w = 2.0, b = 0.5));
  return loss + g[w] + g[b];
}
