// EXPECT: tapeless::grad: this leaf is an input, which has no gradient; declare it with tl::param
// x is declared with tl::input, so it is data and has no gradient.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, x).at(x = 1.0, w = 2.0); }
