// The twin of seed_temporary.fail.cpp: the seed gradient is a named container.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto v = tl::param<"v", tl::shape<3>>;

double first_gradient(const xt::xtensor<double, 1>& values) {
  auto step = tl::compile(tl::square(v), tl::wrt(v));
  const xt::xtensor<double, 1> ones{1.0, 1.0, 1.0};
  const auto g = tl::seed(ones);
  return step(v = values, g).grad(v)(0);
}
