// EXPECT: tapeless::reduce: a reduction axis is out of range
// CONTEXT: reduction_axis_out_of_range<2, 2>
// A matrix has axes 0 and 1.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::sum<2>(x); }
