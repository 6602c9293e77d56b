// EXPECT: tapeless::compile: no gradient was planned for this leaf; list it in tl::wrt
// b is a param of the loss, but the step was compiled for w only.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;

double step_once() {
  auto step = tl::compile(tl::square(w * x + b), tl::wrt(w));
  return step(x = 1.0, w = 0.5, b = 0.1).grad(b);
}
