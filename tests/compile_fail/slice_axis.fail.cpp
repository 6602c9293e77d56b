// EXPECT: tapeless::slice: the axis is not an axis of the operand
// CONTEXT: slice_axis_out_of_range<2, 2>
// A matrix has axes 0 and 1; its columns are axis 1.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::slice<0, 2>(x, tl::axis<2>); }
