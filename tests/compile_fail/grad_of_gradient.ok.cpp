// The corrected twin of grad_of_gradient.fail.cpp.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;

double second(double at) { return tl::hessian(x * x * x, x).at(x = at); }
static_assert(tl::hessian(x * x * x, x).at(x = 2.0) == 12.0);
