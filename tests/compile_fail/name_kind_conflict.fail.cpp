// EXPECT: tapeless: two different leaves of the expression share one name
// An input and a param are both named "x".
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x_data = tl::input<"x">;
constexpr auto x_weight = tl::param<"x">;

double slope() { return tl::grad(x_data * x_weight, x_weight).at(x_data = 1.0, x_weight = 2.0); }
