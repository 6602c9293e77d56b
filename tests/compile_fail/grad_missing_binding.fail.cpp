// EXPECT: tapeless::grad: a leaf of the expression has no binding
// CONTEXT: leaf_is_bound<[^"]*\{"x"\}>
// The gradient is evaluated at a point, so every leaf needs data; x is left unbound.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(tl::square(x - w) + 3 * w, w).at(w = 2.0); }
