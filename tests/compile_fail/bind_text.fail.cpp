// EXPECT: tapeless::bind: a scalar leaf takes a number convertible to its dtype
// A string is not data for a scalar leaf.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;

double evaluate() { return tl::value(2 * x, x = "text"); }
