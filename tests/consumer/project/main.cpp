// Through the installed package: seed 004's y = x^2 + 3x + 1 at x = 2 gives y = 11, dy/dx = 7
// (scalar engine), and seed 004's linear model gives loss 7.54 and b.grad 3.2 (tensor engine,
// BLAS linked through the package's dependencies).
#include <cmath>
#include <cstdio>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;
constexpr auto y = tl::pow(x, 2) + 3 * x + 1;

static_assert(tl::grad(y, x).at(x = 2.0) == 7.0);

constexpr auto X = tl::input<"X", tl::shape<2, 3>>;
constexpr auto Y = tl::input<"Y", tl::shape<2, 1>>;
constexpr auto w = tl::param<"w", tl::shape<3, 1>>;
constexpr auto b = tl::scalar<"b">;
constexpr auto loss = 0.5 * tl::mean(tl::square(tl::matmul(X, w) + b - Y));

int main() {
  const auto [value, dy_dx] = tl::value_and_grad(y, x).at(x = 2.0);
  std::printf("y = %g\ndy/dx = %g\n", value, dy_dx);
  const double xs[] = {3, 2, 1, 1.3, 2.4, 3.7}, ys[] = {5, 2}, ws[] = {1, 1, 1};
  auto step = tl::compile(loss, tl::wrt(w, b));
  const auto r = step(X = tl::view(xs, 2, 3), Y = tl::view(ys, 2, 1), w = tl::view(ws, 3, 1), b = 0.0);
  std::printf("loss = %.4g\nb.grad = %.4g\n", r.value(), r.grad(b));
  if (value != 11.0 || dy_dx != 7.0 || std::abs(r.value() - 7.54) > 1e-9 || std::abs(r.grad(b) - 3.2) > 1e-12) {
    std::fprintf(stderr, "expected y = 11, dy/dx = 7, loss = 7.54, b.grad = 3.2\n");
    return 1;
  }
  return 0;
}
