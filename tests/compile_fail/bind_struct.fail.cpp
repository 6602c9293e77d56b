// EXPECT: tapeless::bind: a scalar leaf takes a number convertible to its dtype
// A struct is not data for a scalar leaf, even in tl::bind.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

struct point {
  double x, y;
};

constexpr auto x = tl::input<"x">;

double evaluate(const point& p) { return tl::value(2 * x, tl::bind(x = p)); }
