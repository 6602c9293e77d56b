// The corrected twin of matmul_dtype.fail.cpp.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>, float>;
constexpr auto w = tl::param<"w", tl::shape<3, 2>, float>;

auto build() { return tl::matmul(x, w); }
