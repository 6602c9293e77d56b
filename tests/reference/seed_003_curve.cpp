// Seed 003 against LibTorch over the whole training run: the two-layer network of
// examples/seed_003_model.hpp trained for 500 steps from the same initial data by tapeless's
// compiled step and by LibTorch's autograd (torch_seeds.cpp). Every one of the 500 losses and
// the final weights must agree.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <tapeless/tapeless.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

#include "../../examples/seed_003_model.hpp"
#include "torch_seeds.hpp"

namespace tl = tapeless;

namespace {

std::vector<double> flat(const xt::xtensor<double, 2>& m) { return {m.begin(), m.end()}; }

/// Largest |a - b| / (rtol |b| + atol) over the elements: at most 1 when they agree.
double worst(const std::vector<double>& a, const std::vector<double>& b, double rtol, double atol) {
  double w = 0;
  for (std::size_t i = 0; i < a.size(); ++i) w = std::max(w, std::fabs(a[i] - b[i]) / (rtol * std::fabs(b[i]) + atol));
  return w;
}

}  // namespace

TEST_CASE("seed 003: the whole loss curve of 500 SGD steps and the final weights, as LibTorch", "[reference][seed]") {
  using namespace seed_003;
  const data initial = make_data();

  const auto torch = tapeless::reference::seeds::two_layer_net(
      flat(initial.x), flat(initial.y), flat(initial.w1), flat(initial.w2), N, D_in, H, D_out, learning_rate,
      iterations);

  data d = initial;
  auto step = tl::compile(loss, tl::wrt(w1, w2));
  std::vector<double> losses;
  for (int t = 0; t < iterations; ++t) {
    const auto r = step(x = d.x, y = d.y, w1 = d.w1, w2 = d.w2);
    losses.push_back(r.value());
    xt::noalias(d.w1) -= learning_rate * r.grad(w1);
    xt::noalias(d.w2) -= learning_rate * r.grad(w2);
  }

  REQUIRE(torch.losses.size() == losses.size());
  // The loss falls from 3e7 by 13 orders of magnitude. Both sides compute the same formulas in
  // float64; with the same BLAS underneath (OpenBLAS on Debian, one thread) the curves agree to
  // within a few roundings (measured: 7e-16 relative at worst, identical final weights). Another
  // BLAS or thread count sums the products in another order, and the training carries those
  // roundings along; rtol 1e-9 leaves room for that and still catches any difference in the
  // gradients (a wrong term moves the curve by far more). The absolute term only matters near
  // 0: the loss is a sum of 640 squared residuals, so a rounding of 1e-16 in each residual moves
  // it by about 2 sqrt(640 loss) 1e-16, below 1e-17 at the end of the run.
  const double rtol = 1e-9, atol = 1e-15;
  std::vector<double> ratio(losses.size());
  for (std::size_t t = 0; t < losses.size(); ++t)
    ratio[t] = std::fabs(losses[t] - torch.losses[t]) / std::fabs(torch.losses[t]);
  INFO("first loss " << losses.front() << " (LibTorch " << torch.losses.front() << "), last " << losses.back()
                     << " (LibTorch " << torch.losses.back() << "); largest relative difference "
                     << *std::max_element(ratio.begin(), ratio.end()) << " at step "
                     << std::max_element(ratio.begin(), ratio.end()) - ratio.begin());
  CHECK(worst(losses, torch.losses, rtol, atol) <= 1.0);
  CHECK(losses.back() < 1e-5 * losses.front());
  // Weights are O(1) after training: compared elementwise, with an absolute term for elements near 0.
  CHECK(worst(flat(d.w1), torch.w1, 1e-10, 1e-12) <= 1.0);
  CHECK(worst(flat(d.w2), torch.w2, 1e-10, 1e-12) <= 1.0);
}
