#pragma once
// Data and sizes shared by every implementation of workload W1 (seed 003's two-layer network),
// so that tapeless, the hand-written C++ and LibTorch start from exactly the same numbers.
//
//   h = x w1, h_relu = max(h, 0), y_pred = h_relu w2, loss = sum((y_pred - y)^2)
//   500 full-batch SGD steps with learning rate 1e-6.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace w1 {

inline constexpr std::size_t N = 64;      // batch
inline constexpr std::size_t D_in = 1000;
inline constexpr std::size_t H = 100;
inline constexpr std::size_t D_out = 10;
inline constexpr int steps = 500;
inline constexpr double learning_rate = 1e-6;

/// Standard normal values (Box-Muller over a 64-bit LCG), the same in every translation unit.
/// Generated in double and rounded to T, so float32 runs see the float32 rounding of the
/// float64 data.
template <class T>
std::vector<T> normal(std::size_t n, std::uint64_t seed) {
  std::vector<T> out(n);
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  auto uniform = [&s] {  // in (0, 1)
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (static_cast<double>(s >> 11) + 0.5) * 0x1.0p-53;
  };
  for (std::size_t i = 0; i < n; i += 2) {
    const double r = std::sqrt(-2.0 * std::log(uniform()));
    const double t = 6.283185307179586 * uniform();
    out[i] = static_cast<T>(r * std::cos(t));
    if (i + 1 < n) out[i + 1] = static_cast<T>(r * std::sin(t));
  }
  return out;
}

/// Row-major data of one run: inputs x (N, D_in) and targets y (N, D_out), initial weights
/// w1 (D_in, H) and w2 (H, D_out), all standard normal as torch.randn in seed 003.
template <class T>
struct data {
  std::vector<T> x = normal<T>(N * D_in, 1);
  std::vector<T> y = normal<T>(N * D_out, 2);
  std::vector<T> w1 = normal<T>(D_in * H, 3);
  std::vector<T> w2 = normal<T>(H * D_out, 4);
};

/// Forward mode and second order (w1_second_order.cpp): evaluations per benchmark iteration,
/// and the direction (V1, V2) of the Hessian- and Jacobian-vector products.
inline constexpr int second_order_steps = 50;
inline std::vector<double> direction(std::size_t n, std::uint64_t seed) { return normal<double>(n, seed); }

/// What the implementations of the second-order lines must agree on: the loss at the initial
/// weights, J v (the directional derivative) and <v, H v>.
struct second_order_probe {
  double value = 0, jvp = 0, vhv = 0;
};
second_order_probe second_order_tapeless();
#ifdef W1_HAVE_LIBTORCH
second_order_probe second_order_libtorch();
#endif

/// The shared data, made once per dtype.
template <class T>
const data<T>& shared_data() {
  static const data<T> d;
  return d;
}

/// Called just before and just after the training loop of the final-loss runs below (bench_w1
/// --profile sets them to toggle callgrind's collection, so only the steps are counted).
inline void (*training_begins)() = nullptr;
inline void (*training_ends)() = nullptr;
template <class F>
void hooked(F&& train) {
  if (training_begins) training_begins();
  train();
  if (training_ends) training_ends();
}

/// Each implementation trains for `steps` SGD steps from shared_data<T>() and returns the loss
/// computed in the last step (before its update). Used to check that all implementations agree
/// before any ratio is printed.
double final_loss_tapeless_f64(int steps);
double final_loss_tapeless_f32(int steps);
double final_loss_handwritten_f64(int steps);
double final_loss_handwritten_f32(int steps);
double final_loss_handwritten_fused_f64(int steps);
double final_loss_handwritten_fused_f32(int steps);
#ifdef W1_HAVE_LIBTORCH
double final_loss_libtorch_f64(int steps);
double final_loss_libtorch_f32(int steps);
#endif

}  // namespace w1
