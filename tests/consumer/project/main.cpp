// Seed 004 through the installed package: y = x^2 + 3x + 1 at x = 2 gives y = 11, dy/dx = 7.
#include <cstdio>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;
constexpr auto y = tl::pow(x, 2) + 3 * x + 1;

static_assert(tl::grad(y, x).at(x = 2.0) == 7.0);

int main() {
  const auto [value, dy_dx] = tl::value_and_grad(y, x).at(x = 2.0);
  std::printf("y = %g\ndy/dx = %g\n", value, dy_dx);
  if (value != 11.0 || dy_dx != 7.0) {
    std::fprintf(stderr, "expected y = 11 and dy/dx = 7\n");
    return 1;
  }
  return 0;
}
