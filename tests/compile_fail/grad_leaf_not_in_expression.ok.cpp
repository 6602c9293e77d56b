// Differentiate with respect to a param the expression uses.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto v = tl::param<"v">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w * v, v).at(x = 1.0, w = 2.0, v = 0.5); }
static_assert(tl::grad(tl::square(x - w) + 3 * w * v, v).at(x = 1.0, w = 2.0, v = 0.5) == 6.0);
