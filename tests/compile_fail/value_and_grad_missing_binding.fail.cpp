// EXPECT: tapeless::value_and_grad: a leaf of the expression has no binding
// CONTEXT: leaf_is_bound<[^"]*\{"x"\}>
// tl::value_and_grad evaluates at a point, so every leaf needs data; x is left unbound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;

double loss_and_slope() {
  const auto [loss, g] = tl::value_and_grad(tl::square(w * x + b), w, b).at(tl::bind(w = 2.0, b = 0.5));
  return loss + g[w] + g[b];
}
