// The corrected twin of flip_axes.fail.cpp.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::flip<0, 1>(x); }
