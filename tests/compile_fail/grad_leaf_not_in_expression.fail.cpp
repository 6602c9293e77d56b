// EXPECT: tapeless::grad: this leaf is not part of the expression
// v is a param, but the expression does not use it.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto v = tl::param<"v">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, v).at(x = 1.0, w = 2.0, v = 0.5); }
