// EXPECT: tapeless::grad: gradients are taken with respect to leaves; pass a tl::param, not an expression or a number
// 2.0 is a number, not a leaf.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, 2.0).at(x = 1.0, w = 2.0); }
