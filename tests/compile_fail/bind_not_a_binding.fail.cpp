// EXPECT: tapeless::bind: every argument must be a binding written `leaf = value`
// 3.0 does not say which leaf it is for.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;

double evaluate() { return tl::value(2 * x, tl::bind(3.0)); }
