// Seed 004, part 1: y = x^2 + 3x + 1 at x = 2; y.backward() gives x.grad = 7.
#include <cstdio>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;
constexpr auto y = tl::pow(x, 2) + 3 * x + 1;

// The derivative is computed by the compiler: this line fails to compile if it is not 7.
static_assert(tl::grad(y, x).at(x = 2.0) == 7.0);

int main() {
  const auto [value, dy_dx] = tl::value_and_grad(y, x).at(x = 2.0);
  std::printf("y = %g\n", value);
  std::printf("dy/dx = %g\n", dy_dx);
  return 0;
}
