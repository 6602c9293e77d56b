// The corrected twin of matmul_rank.fail.cpp: a scalar times a matrix is elementwise, and a
// vector times a matrix is a matmul (torch.matmul's vector-matrix product).
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto s = tl::input<"s">;
constexpr auto v = tl::input<"v", tl::shape<3>>;
constexpr auto w = tl::param<"w", tl::shape<3, 2>>;

auto build() { return tl::matmul(v, s * w); }
