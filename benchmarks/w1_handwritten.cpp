// W1 written by hand over the same CBLAS as tapeless, with every buffer allocated once:
//
//   h = x w1                      gemm
//   h_relu = max(h, 0)            in place (h is not needed again: h < 0 <=> h_relu == 0)
//   y_pred = h_relu w2            gemm
//   g = 2 (y_pred - y)            one loop, which also sums the loss
//   grad_w2 = h_relu^T g          gemm, transpose as a flag
//   grad_h = g w2^T               gemm, transpose as a flag
//   grad_h = 0 where h_relu == 0  the ReLU mask
//   grad_w1 = x^T grad_h          gemm, transpose as a flag
//   w1 -= lr grad_w1, w2 -= lr grad_w2
//
// handwritten:       exactly the steps above, the updates as plain loops.
// handwritten_fused: the SGD updates folded into the weight-gradient gemms
//                    (w -= lr * A^T B as gemm with alpha = -lr, beta = 1), so the gradients are
//                    never stored; grad_h is computed before w2 changes. The lower bound a
//                    framework could reach with the same BLAS.
//
// One benchmark iteration = 500 SGD steps from the shared initial weights (the copy of the
// initial weights happens with the timer paused); times are reported per step.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <vector>

#include "w1_common.hpp"

namespace {

using w1::D_in;
using w1::D_out;
using w1::H;
using w1::N;

inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* a, int lda,
                 const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <class T, bool Fused>
struct trainer {
  const w1::data<T>& d = w1::shared_data<T>();
  std::vector<T> w1 = d.w1, w2 = d.w2;
  std::vector<T> h = std::vector<T>(N * H), y_pred = std::vector<T>(N * D_out), g = std::vector<T>(N * D_out);
  std::vector<T> grad_h = std::vector<T>(N * H);
  std::vector<T> grad_w1 = std::vector<T>(D_in * H), grad_w2 = std::vector<T>(H * D_out);
  T loss = 0;

  void reset() {
    std::copy(d.w1.begin(), d.w1.end(), w1.begin());
    std::copy(d.w2.begin(), d.w2.end(), w2.begin());
  }

  void step() {
    const T lr = static_cast<T>(w1::learning_rate);
    const T* x = d.x.data();
    const T* y = d.y.data();
    // forward
    gemm(CblasNoTrans, CblasNoTrans, N, H, D_in, T(1), x, D_in, w1.data(), H, T(0), h.data(), H);
    for (std::size_t i = 0; i < N * H; ++i) h[i] = std::max(h[i], T(0));
    gemm(CblasNoTrans, CblasNoTrans, N, D_out, H, T(1), h.data(), H, w2.data(), D_out, T(0), y_pred.data(), D_out);
    T l = 0;
    for (std::size_t i = 0; i < N * D_out; ++i) {
      const T r = y_pred[i] - y[i];
      l += r * r;
      g[i] = 2 * r;
    }
    loss = l;
    // backward
    gemm(CblasNoTrans, CblasTrans, N, H, D_out, T(1), g.data(), D_out, w2.data(), D_out, T(0), grad_h.data(), H);
    for (std::size_t i = 0; i < N * H; ++i) grad_h[i] = h[i] > T(0) ? grad_h[i] : T(0);
    if constexpr (Fused) {
      gemm(CblasTrans, CblasNoTrans, H, D_out, N, -lr, h.data(), H, g.data(), D_out, T(1), w2.data(), D_out);
      gemm(CblasTrans, CblasNoTrans, D_in, H, N, -lr, x, D_in, grad_h.data(), H, T(1), w1.data(), H);
    } else {
      gemm(CblasTrans, CblasNoTrans, H, D_out, N, T(1), h.data(), H, g.data(), D_out, T(0), grad_w2.data(), D_out);
      gemm(CblasTrans, CblasNoTrans, D_in, H, N, T(1), x, D_in, grad_h.data(), H, T(0), grad_w1.data(), H);
      for (std::size_t i = 0; i < D_in * H; ++i) w1[i] -= lr * grad_w1[i];
      for (std::size_t i = 0; i < H * D_out; ++i) w2[i] -= lr * grad_w2[i];
    }
  }

  void train(int steps) {
    for (int t = 0; t < steps; ++t) step();
  }
};

template <class T, bool Fused>
void W1_handwritten(benchmark::State& state) {
  trainer<T, Fused> tr;
  for (auto _ : state) {
    state.PauseTiming();
    tr.reset();
    state.ResumeTiming();
    tr.train(w1::steps);
    benchmark::DoNotOptimize(tr.loss);
    benchmark::ClobberMemory();
  }
  state.counters["steps"] = w1::steps;
}

template <class T, bool Fused>
double final_loss(int steps) {
  trainer<T, Fused> tr;
  w1::hooked([&] { tr.train(steps); });
  return static_cast<double>(tr.loss);
}

}  // namespace

double w1::final_loss_handwritten_f64(int steps) { return final_loss<double, false>(steps); }
double w1::final_loss_handwritten_f32(int steps) { return final_loss<float, false>(steps); }
double w1::final_loss_handwritten_fused_f64(int steps) { return final_loss<double, true>(steps); }
double w1::final_loss_handwritten_fused_f32(int steps) { return final_loss<float, true>(steps); }

BENCHMARK(W1_handwritten<double, false>)->Name("W1/handwritten")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_handwritten<float, false>)->Name("W1f32/handwritten")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_handwritten<double, true>)->Name("W1/handwritten_fused")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_handwritten<float, true>)->Name("W1f32/handwritten_fused")->Unit(benchmark::kMillisecond);
