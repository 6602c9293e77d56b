// Each leaf has its own name.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x_data = tl::input<"x">;
constexpr auto x_weight = tl::param<"w">;

double slope() { return tl::grad(x_data * x_weight, x_weight).at(x_data = 1.0, x_weight = 2.0); }
static_assert(tl::grad(x_data * x_weight, x_weight).at(x_data = 1.0, x_weight = 2.0) == 1.0);
