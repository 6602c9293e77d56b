// W2 written by hand: seed 004's SimpleNet with fixed-size arrays, no heap, no library.
//
//   h = x W1^T + b1                (10 x 8)
//   a = max(h, 0)
//   p = a w2 + b2                  (10)
//   r = p - y, loss = sum(r^2) / 10
//   g = 2 r / 10                   dloss/dp
//   grad_b2 = sum(g), grad_w2 = a^T g
//   grad_h = g w2^T where h > 0, else 0      the ReLU mask
//   grad_W1 = grad_h^T x, grad_b1 = column sums of grad_h
//   every parameter -= lr * its gradient
//
// fc1's weight is kept transposed (in x out, 4 x 8), so that every inner loop runs over the 8
// hidden units, contiguous in memory: one 8-float vector with AVX, which -O3 vectorises without
// help. The gradients live on the stack of the step; w2 is read for grad_h before it is updated.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>

#include "w2_common.hpp"

namespace {

using w2::D_in;
using w2::H;
using w2::N;

struct trainer {
  // Data, copied into the trainer (read at run time like any other implementation's).
  std::array<std::array<float, D_in>, N> x;
  std::array<float, N> y;
  // Parameters.
  std::array<std::array<float, H>, D_in> w1t;  // fc1.weight transposed: w1t[k][j] = fc1.weight[j][k]
  std::array<float, H> b1;
  std::array<float, H> w2;                     // fc2.weight (1 x 8)
  float b2;
  float loss = 0;

  trainer() {
    for (std::size_t n = 0; n < N; ++n) {
      for (std::size_t k = 0; k < D_in; ++k) x[n][k] = w2::x[n * D_in + k];
      y[n] = w2::y[n];
    }
    reset();
  }

  void reset() {
    for (std::size_t j = 0; j < H; ++j)
      for (std::size_t k = 0; k < D_in; ++k) w1t[k][j] = w2::fc1_weight[j * D_in + k];
    std::copy(w2::fc1_bias.begin(), w2::fc1_bias.end(), b1.begin());
    std::copy(w2::fc2_weight.begin(), w2::fc2_weight.end(), w2.begin());
    b2 = w2::fc2_bias[0];
  }

  void step() {
    constexpr float lr = w2::learning_rate;
    constexpr float scale = 2.0f / N;  // d mean(r^2) / dr = 2 r / N
    // forward
    float h[N][H];
    float p[N];
    for (std::size_t n = 0; n < N; ++n) {
      for (std::size_t j = 0; j < H; ++j) h[n][j] = b1[j];
      for (std::size_t k = 0; k < D_in; ++k)
        for (std::size_t j = 0; j < H; ++j) h[n][j] += x[n][k] * w1t[k][j];
      float s = b2;
      for (std::size_t j = 0; j < H; ++j) s += std::max(h[n][j], 0.0f) * w2[j];
      p[n] = s;
    }
    float sum = 0;
    float g[N];
    for (std::size_t n = 0; n < N; ++n) {
      const float r = p[n] - y[n];
      sum += r * r;
      g[n] = scale * r;
    }
    loss = sum / N;
    // backward
    float grad_b2 = 0;
    float grad_w2[H] = {};
    float grad_b1[H] = {};
    float grad_w1t[D_in][H] = {};
    for (std::size_t n = 0; n < N; ++n) {
      grad_b2 += g[n];
      float grad_h[H];
      for (std::size_t j = 0; j < H; ++j) {
        const bool active = h[n][j] > 0.0f;
        grad_w2[j] += g[n] * (active ? h[n][j] : 0.0f);
        grad_h[j] = active ? g[n] * w2[j] : 0.0f;
        grad_b1[j] += grad_h[j];
      }
      for (std::size_t k = 0; k < D_in; ++k)
        for (std::size_t j = 0; j < H; ++j) grad_w1t[k][j] += x[n][k] * grad_h[j];
    }
    // SGD update
    for (std::size_t k = 0; k < D_in; ++k)
      for (std::size_t j = 0; j < H; ++j) w1t[k][j] -= lr * grad_w1t[k][j];
    for (std::size_t j = 0; j < H; ++j) {
      b1[j] -= lr * grad_b1[j];
      w2[j] -= lr * grad_w2[j];
    }
    b2 -= lr * grad_b2;
  }

  void train(int steps) {
    for (int t = 0; t < steps; ++t) step();
  }
};

void W2_handwritten(benchmark::State& state) {
  trainer tr;
  w2::run_blocks(state, tr, 1000);
}

}  // namespace

float w2::final_loss_handwritten(int steps) {
  trainer tr;
  tr.train(steps);
  return tr.loss;
}

BENCHMARK(W2_handwritten)->Name("W2/handwritten")->Unit(benchmark::kMicrosecond);
