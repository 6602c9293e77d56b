// The corrected twin of matmul_rank.fail.cpp.
// A vector is not a matrix: reshape it to (1, 3) first.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::input<"v", tl::shape<3>>;
constexpr auto w = tl::param<"w", tl::shape<3, 2>>;

auto build() { return tl::matmul(tl::reshape<1, 3>(v), w); }
