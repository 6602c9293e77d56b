#pragma once
// Seed 003's two-layer network: its sizes, its random data and its model as one tapeless
// expression. Shared by the example (seed_003_two_layer_net.cpp) and by the reference test that
// replays the same training in LibTorch (tests/reference/seed_003_curve.cpp).
//
//   h = x w1; h_relu = max(h, 0); y_pred = h_relu w2; loss = sum((y_pred - y)^2)
//   500 steps of w1 -= 1e-6 dloss/dw1, w2 -= 1e-6 dloss/dw2
#include <cstddef>
#include <cstdint>
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

#include "seed_random.hpp"

namespace seed_003 {

namespace tl = tapeless;

inline constexpr std::size_t N = 64;       // batch size
inline constexpr std::size_t D_in = 1000;  // input dimension
inline constexpr std::size_t H = 100;      // hidden dimension
inline constexpr std::size_t D_out = 10;   // output dimension
inline constexpr double learning_rate = 1e-6;
inline constexpr int iterations = 500;

// The leaves carry their shapes, so every product below is checked by the compiler:
// tl::matmul(x, w2) would fail with "matmul: inner extents differ (1000 vs 100)".
inline constexpr auto x = tl::input<"x", tl::shape<N, D_in>>;
inline constexpr auto y = tl::input<"y", tl::shape<N, D_out>>;
inline constexpr auto w1 = tl::param<"w1", tl::shape<D_in, H>>;
inline constexpr auto w2 = tl::param<"w2", tl::shape<H, D_out>>;

inline constexpr auto h_relu = tl::relu(tl::matmul(x, w1));
inline constexpr auto y_pred = tl::matmul(h_relu, w2);
inline constexpr auto loss = tl::sum(tl::square(y_pred - y));

/// x, y, w1, w2 = randn(...) in the seed, here from seeds::generator with a fixed seed, drawn in
/// that order, each row-major.
struct data {
  xt::xtensor<double, 2> x = xt::xtensor<double, 2>::from_shape({N, D_in});
  xt::xtensor<double, 2> y = xt::xtensor<double, 2>::from_shape({N, D_out});
  xt::xtensor<double, 2> w1 = xt::xtensor<double, 2>::from_shape({D_in, H});
  xt::xtensor<double, 2> w2 = xt::xtensor<double, 2>::from_shape({H, D_out});
};

inline data make_data(std::uint64_t seed = 3) {
  seeds::generator gen(seed);
  data d;
  for (auto* m : {&d.x, &d.y, &d.w1, &d.w2})
    for (double& v : *m) v = gen.normal();
  return d;
}

}  // namespace seed_003
