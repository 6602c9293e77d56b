// A binding is passed to an evaluation, or kept for one.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;

double square_at_two() {
  const auto at_two = tl::bind(x = 2.0);
  return tl::value(tl::square(x), at_two) + tl::value(tl::square(x), x = 2.0);
}
