#pragma once
// Data and sizes shared by every implementation of workload W3, so that tapeless, the
// hand-written derivative and LibTorch see exactly the same points.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace w3 {

/// W3a: gradients per iteration (tapeless and hand-written).
inline constexpr std::size_t a_points = 1000;
/// W3a with LibTorch: fewer gradients per iteration (each costs microseconds); every time is
/// normalised per gradient before ratios are taken.
inline constexpr std::size_t a_points_libtorch = 100;
/// W3b: points in the loss sum_i (w x_i + b - y_i)^2; one step = its gradient and an SGD update.
inline constexpr std::size_t b_points = 1000;
inline constexpr double b_learning_rate = 0.01;
inline constexpr double b_w0 = 0.5;
inline constexpr double b_b0 = -0.25;

/// Deterministic values in [lo, hi) (a 64-bit LCG), the same in every translation unit.
inline std::vector<double> uniform(std::size_t n, double lo, double hi, std::uint64_t seed) {
  std::vector<double> out(n);
  std::uint64_t s = seed;
  for (double& v : out) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    v = lo + (hi - lo) * static_cast<double>(s >> 11) * 0x1.0p-53;
  }
  return out;
}

/// W3a: the points x at which dy/dx of y = x^2 + 3x + 1 is taken.
inline std::vector<double> a_xs(std::size_t n) { return uniform(n, -2.0, 2.0, 1); }

/// W3b: points (x_i, y_i) near the line y = 2x - 1.
struct b_data {
  std::vector<double> x, y;
};
inline b_data b_points_data() {
  b_data d{uniform(b_points, -1.0, 1.0, 2), uniform(b_points, -0.1, 0.1, 3)};
  for (std::size_t i = 0; i < b_points; ++i) d.y[i] += 2.0 * d.x[i] - 1.0;
  return d;
}

}  // namespace w3
