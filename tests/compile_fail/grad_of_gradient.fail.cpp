// EXPECT: tapeless::grad: the first argument must be an expression, and a gradient is not one
// A gradient is a function of the bindings, not an expression; second derivatives have their
// own entry points.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;

double second(double at) { return tl::grad(tl::grad(x * x * x, x), x).at(x = at); }
