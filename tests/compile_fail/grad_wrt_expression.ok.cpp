// Differentiate with respect to the leaf w.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, w).at(x = 1.0, w = 2.0); }
