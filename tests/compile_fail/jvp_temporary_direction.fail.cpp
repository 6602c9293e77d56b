// EXPECT: tapeless::jvp / tapeless::hvp: a direction given up front is held by reference, and this one is a temporary
// A step that holds its direction would read it after the temporary is gone.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto w = tl::param<"w", tl::shape<3>>;

double first(const xt::xtensor<double, 1>& W) {
  auto step = tl::jvp(tl::exp(w), tl::wrt(w), xt::xtensor<double, 1>{1.0, 0.0, 0.0});
  return step(w = W).tangent()(0);
}
