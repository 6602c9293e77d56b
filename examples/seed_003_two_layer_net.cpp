// Seed 003: PyTorch's introductory two-layer network, which the seed writes in NumPy with its
// backward pass derived by hand:
//   h = x.dot(w1); h_relu = np.maximum(h, 0); y_pred = h_relu.dot(w2)
//   loss = np.square(y_pred - y).sum()
//   grad_y_pred = 2 (y_pred - y); grad_w2 = h_relu.T.dot(grad_y_pred)
//   grad_h = grad_y_pred.dot(w2.T), zero where h < 0; grad_w1 = x.T.dot(grad_h)
//   w1 -= 1e-6 grad_w1; w2 -= 1e-6 grad_w2                       (500 iterations)
// Here the model is one expression (seed_003_model.hpp) and tapeless derives the backward pass;
// at the first iteration the example checks it against the seed's hand-written formulas.
// N = 64, D_in = 1000, H = 100, D_out = 10, float64; the data are drawn from a fixed-seed
// generator instead of np.random.randn, so the loss values are this example's own, and fall by
// orders of magnitude over the 500 iterations as in the seed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tapeless/tapeless.hpp>
#include <vector>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

#include "seed_003_model.hpp"

namespace tl = tapeless;
using namespace seed_003;

namespace {

/// The seed's backward pass, written out as loops (row-major products, no BLAS): returns
/// grad_w1 and grad_w2 for the current weights.
struct hand_gradients {
  std::vector<double> w1, w2;
};

hand_gradients seed_backprop(const data& d) {
  std::vector<double> h(N * H, 0.0), h_relu(N * H), grad_y_pred(N * D_out, 0.0), grad_h(N * H, 0.0);
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t k = 0; k < D_in; ++k)
      for (std::size_t j = 0; j < H; ++j) h[n * H + j] += d.x(n, k) * d.w1(k, j);
  for (std::size_t i = 0; i < N * H; ++i) h_relu[i] = std::max(h[i], 0.0);
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t o = 0; o < D_out; ++o) {
      double y_pred = 0.0;
      for (std::size_t j = 0; j < H; ++j) y_pred += h_relu[n * H + j] * d.w2(j, o);
      grad_y_pred[n * D_out + o] = 2.0 * (y_pred - d.y(n, o));
    }
  hand_gradients g{std::vector<double>(D_in * H, 0.0), std::vector<double>(H * D_out, 0.0)};
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t j = 0; j < H; ++j)
      for (std::size_t o = 0; o < D_out; ++o) {
        g.w2[j * D_out + o] += h_relu[n * H + j] * grad_y_pred[n * D_out + o];
        grad_h[n * H + j] += grad_y_pred[n * D_out + o] * d.w2(j, o);
      }
  for (std::size_t i = 0; i < N * H; ++i)
    if (h[i] < 0) grad_h[i] = 0.0;
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t k = 0; k < D_in; ++k)
      for (std::size_t j = 0; j < H; ++j) g.w1[k * H + j] += d.x(n, k) * grad_h[n * H + j];
  return g;
}

/// The largest |a - b| over the elements, relative to the largest |b|.
template <class A>
double max_relative_difference(const A& a, const std::vector<double>& b) {
  double diff = 0.0, scale = 0.0;
  std::size_t i = 0;
  for (double v : a) {
    diff = std::max(diff, std::fabs(v - b[i]));
    scale = std::max(scale, std::fabs(b[i]));
    ++i;
  }
  return diff / scale;
}

}  // namespace

int main() {
  data d = make_data();
  std::printf("seed 003: N = %zu, D_in = %zu, H = %zu, D_out = %zu, float64, learning rate %g\n", N, D_in, H,
              D_out, learning_rate);

  // Planned once: the step owns a workspace sized at compile time, and no iteration allocates.
  auto step = tl::compile(loss, tl::wrt(w1, w2));
  using step_type = decltype(step);
  std::printf("compiled step: %zu value buffers, %zu adjoint buffers\n",
              static_cast<std::size_t>(step_type::value_buffers),
              static_cast<std::size_t>(step_type::adjoint_buffers));
  std::printf("  (memory only where a result is kept: the matmul results, which relu overwrites in place,\n"
              "   and the loss; square and - are fused into the loss's loop. Adjoints: the loss seed, those\n"
              "   the matmul gradients read or write, and dloss/dw1, dloss/dw2.)\n");

  double first_loss = 0.0, last_loss = 0.0;
  for (int t = 0; t < iterations; ++t) {
    const auto r = step(x = d.x, y = d.y, w1 = d.w1, w2 = d.w2);
    last_loss = r.value();
    if (t == 0) {
      first_loss = last_loss;
      const hand_gradients g = seed_backprop(d);
      const double e1 = max_relative_difference(r.grad(w1), g.w1);
      const double e2 = max_relative_difference(r.grad(w2), g.w2);
      const bool same = e1 < 1e-12 && e2 < 1e-12;
      std::printf("iteration 0: tapeless gradients %s the seed's hand-written backprop "
                  "(largest relative differences %.1e, %.1e)\n",
                  same ? "equal" : "DIFFER FROM", e1, e2);
      if (!same) return 1;
    }
    if (t == 0 || t % 50 == 49 || t == iterations - 1) std::printf("%d %.10g\n", t, last_loss);
    // r.grad(w) is a view of the step's workspace; xt::noalias updates the weights in place.
    xt::noalias(d.w1) -= learning_rate * r.grad(w1);
    xt::noalias(d.w2) -= learning_rate * r.grad(w2);
  }
  std::printf("loss fell from %.4g to %.4g: %.1f orders of magnitude in %d iterations\n", first_loss, last_loss,
              std::log10(first_loss / last_loss), iterations);
  return 0;
}
