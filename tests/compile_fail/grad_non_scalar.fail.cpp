// EXPECT: tapeless::grad: the expression is not a scalar
// v * w has shape 3, so it has no gradient without a seed.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::input<"v", tl::shape<3>>;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(v * w, w).at(w = 2.0); }
