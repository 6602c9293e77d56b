// EXPECT: tapeless::compile: a leaf of the expression has no binding
// CONTEXT: leaf_is_bound<[^"]*\{"y"\}>
// A compiled step needs data for every leaf: y is not bound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto y = tl::input<"y">;
constexpr auto w = tl::param<"w">;

double step_once() {
  auto step = tl::compile(tl::square(w * x - y), tl::wrt(w));
  return step(x = 1.0, w = 0.5).grad(w);
}
