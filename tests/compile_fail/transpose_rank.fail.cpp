// EXPECT: tapeless::transpose: an axis is out of range
// CONTEXT: transpose_axis_out_of_range<0, 1, 1>
// A vector has one axis; there is nothing to swap.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::input<"v", tl::shape<3>>;

auto build() { return tl::transpose(v); }
