// A number is data for a scalar leaf.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;

double evaluate() { return tl::value(2 * x, x = 1.5); }
