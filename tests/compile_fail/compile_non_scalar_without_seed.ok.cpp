// The corrected twin of compile_non_scalar_without_seed.fail.cpp.
// v * v has shape (3): its gradient needs the adjoint of the output, as backward(gradient) in PyTorch.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::param<"v", tl::shape<3>>;

void run(const double* data, const double* g) {
  auto step = tl::compile(v * v, tl::wrt(v));
  (void)step(v = tl::view(data, 3), tl::seed(tl::view(g, 3)));
}
