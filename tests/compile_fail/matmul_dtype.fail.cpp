// EXPECT: tapeless::matmul: the operands have different dtypes
// A float32 input against float64 weights: the message names matmul, the API called.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>, float>;
constexpr auto w = tl::param<"w", tl::shape<3, 2>>;

auto build() { return tl::matmul(x, w); }
