// EXPECT: tapeless::take: the axis must be an axis of x and the indices a rank-1 expression
// CONTEXT: take_operands_invalid<0, 2, 2>
// Indices are one list of positions, not a matrix.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto table = tl::param<"table", tl::shape<100, 16>>;
constexpr auto ids = tl::input<"ids", tl::shape<8, 4>>;

auto build() { return tl::take<0>(table, ids); }
