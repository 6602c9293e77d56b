// EXPECT: tapeless::gradients: no gradient was computed for this leaf; list it in tl::grad\(expr, \.\.\.\) or tl::value_and_grad
// The gradient was taken with respect to w and b only.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto c = tl::param<"c">;

double slope_c() {
  const auto g = tl::grad(w * x + b * c, w, b).at(x = 1.0, w = 2.0, b = 3.0, c = 4.0);
  return g[c];
}
