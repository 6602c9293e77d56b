// EXPECT: tapeless::hvp: the expression is not a scalar; second derivatives are taken of a scalar
// A Hessian-vector product is taken of a loss, a scalar; this expression is a vector.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto w = tl::param<"w", tl::shape<3>>;

auto make() { return tl::hvp(tl::exp(w), tl::wrt(w)); }
