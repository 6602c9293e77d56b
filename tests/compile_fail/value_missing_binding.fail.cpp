// EXPECT: tapeless::value: a leaf of the expression has no binding
// CONTEXT: leaf_is_bound<[^"]*\{"w"\}>
// tl::value needs data for every leaf; w is left unbound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double evaluate() { return tl::value(tl::square(x - w) + 3 * w, x = 1.0); }
