// The corrected twin of jvp_temporary_direction.fail.cpp: the direction is named, or passed
// with each call.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto w = tl::param<"w", tl::shape<3>>;

double first(const xt::xtensor<double, 1>& W) {
  const xt::xtensor<double, 1> v{1.0, 0.0, 0.0};
  auto step = tl::jvp(tl::exp(w), tl::wrt(w), v);
  auto each = tl::jvp(tl::exp(w), tl::wrt(w));
  return step(w = W).tangent()(0) + each(w = W, tl::along(v)).tangent()(0);
}
