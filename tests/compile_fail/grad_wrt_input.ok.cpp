// The same expression with x declared as a param.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::param<"x">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, x).at(x = 1.0, w = 2.0); }
static_assert(tl::grad(tl::square(x - w) + 3 * w, x).at(x = 1.0, w = 2.0) == -2.0);
