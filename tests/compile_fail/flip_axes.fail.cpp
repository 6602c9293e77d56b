// EXPECT: tapeless::flip: the axes must be distinct axes of the operand
// CONTEXT: flip_axes_invalid<2, 1, 2>
// A matrix has axes 0 and 1.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::flip<1, 2>(x); }
