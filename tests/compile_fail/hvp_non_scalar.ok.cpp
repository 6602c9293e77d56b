// The corrected twin of hvp_non_scalar.fail.cpp: the expression is reduced to a scalar.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto w = tl::param<"w", tl::shape<3>>;

auto make() { return tl::hvp(tl::sum(tl::exp(w)), tl::wrt(w)); }
