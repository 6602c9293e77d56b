// The corrected twin of take_operands.fail.cpp: the positions flattened to one axis.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto table = tl::param<"table", tl::shape<100, 16>>;
constexpr auto ids = tl::input<"ids", tl::shape<8, 4>>;

auto build() { return tl::take<0>(table, tl::reshape<32>(ids)); }
