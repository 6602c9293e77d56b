// A scalar expression has a gradient.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::input<"v">;
constexpr auto w = tl::param<"w">;

double slope() { return tl::grad(v * w, w).at(v = 3.0, w = 2.0); }
