// Every leaf is bound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double evaluate() { return tl::value(tl::square(x - w) + 3 * w, x = 1.0, w = 2.0); }
static_assert(tl::value(tl::square(x - w) + 3 * w, x = 1.0, w = 2.0) == 7.0);
