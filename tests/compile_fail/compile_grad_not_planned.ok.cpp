// Plan the gradient of every leaf that will be asked for.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;

double step_once() {
  auto step = tl::compile(tl::square(w * x + b), tl::wrt(w, b));
  return step(x = 1.0, w = 0.5, b = 0.1).grad(b);
}
