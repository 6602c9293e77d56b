// EXPECT: tapeless::seed: the seed gradient must outlive the step's call; pass a named container, not a temporary
// A seed gradient views the caller's data. This tensor is a temporary, destroyed at the end of the
// statement that makes the seed, so the step below would read freed memory.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto v = tl::param<"v", tl::shape<3>>;

double first_gradient(const xt::xtensor<double, 1>& values) {
  auto step = tl::compile(tl::square(v), tl::wrt(v));
  const auto g = tl::seed(xt::xtensor<double, 1>{1.0, 1.0, 1.0});
  return step(v = values, g).grad(v)(0);
}
