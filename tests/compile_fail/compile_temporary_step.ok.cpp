// The corrected twin of compile_temporary_step.fail.cpp.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::param<"v", tl::shape<3>>;

double run(const double* data) {
  auto step = tl::compile(tl::sum(v * v), tl::wrt(v));
  return step(v = tl::view(data, 3)).value();
}
