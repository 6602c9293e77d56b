// Name the leaf the number is for.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;

double evaluate() { return tl::value(2 * x, tl::bind(x = 3.0)); }
