// The corrected twin of reshape_size.fail.cpp.
// 12 elements cannot fill (5, 2).
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::reshape<6, 2>(x); }
