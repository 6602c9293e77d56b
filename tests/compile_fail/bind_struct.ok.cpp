// Bind the member that holds the number.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

struct point {
  double x, y;
};

constexpr auto x = tl::input<"x">;

double evaluate(const point& p) { return tl::value(2 * x, tl::bind(x = p.x)); }
