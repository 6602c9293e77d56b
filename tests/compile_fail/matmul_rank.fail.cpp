// EXPECT: tapeless::matmul: operands must be vectors, matrices or batches of matrices
// CONTEXT: matmul_ranks_unsupported<0, 2>
// A scalar is not a matrix: multiply it elementwise (s * w).
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto s = tl::input<"s">;
constexpr auto w = tl::param<"w", tl::shape<3, 2>>;

auto build() { return tl::matmul(s, w); }
