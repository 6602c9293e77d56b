// W3c: W3b's loss as one tensor expression. x and y are inputs of shape (1000), w and b scalar
// params; loss = sum(square(w * x + b - y)); one step = the gradient with respect to w and b and
// an SGD update w -= lr gw / n, b -= lr gb / n.
//
// tapeless:           tl::compile(loss, tl::wrt(w, b)) once; per step one call on views of the
//                     point arrays (forward and backward, no allocation).
// handwritten:        the fastest honest loop: r2 = 2 (w x_i + b - y_i); gw += r2 x_i; gb += r2,
//                     with `#pragma omp simd reduction(+ : gw, gb)` (the target is compiled with
//                     -fopenmp-simd), which allows the compiler to reassociate the two sums into
//                     vector partial sums; only the gradient is computed (tapeless also sums the
//                     loss value).
// handwritten_serial: the same loop without the pragma: strict left-to-right sums, bound by the
//                     latency of the addition chain (as W3b's hand-written loop).
//
// Each iteration hides the point arrays from the optimiser (DoNotOptimize on the pointers, then
// ClobberMemory), so nothing computed from them can be hoisted out of the timed loop.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tapeless/tapeless.hpp>

#include "w3_common.hpp"

namespace tl = tapeless;

namespace {

constexpr auto x = tl::input<"x", tl::shape<w3::b_points>>;
constexpr auto y = tl::input<"y", tl::shape<w3::b_points>>;
constexpr auto w = tl::scalar<"w">;
constexpr auto b = tl::scalar<"b">;
constexpr auto loss = tl::sum(tl::square(w * x + b - y));

void W3c_tapeless(benchmark::State& state) {
  const w3::b_data d = w3::b_points_data();
  auto step = tl::compile(loss, tl::wrt(w, b));
  double wv = w3::b_w0, bv = w3::b_b0;
  for (auto _ : state) {
    const double* px = d.x.data();
    const double* py = d.y.data();
    benchmark::DoNotOptimize(px);
    benchmark::DoNotOptimize(py);
    benchmark::ClobberMemory();
    const auto r = step(x = tl::view(px, w3::b_points), y = tl::view(py, w3::b_points), w = wv, b = bv);
    const double gw = r.grad(w), gb = r.grad(b);
    wv -= w3::b_learning_rate / w3::b_points * gw;
    bv -= w3::b_learning_rate / w3::b_points * gb;
    benchmark::DoNotOptimize(wv);
    benchmark::DoNotOptimize(bv);
  }
  state.counters["points"] = static_cast<double>(w3::b_points);
}

template <bool Simd>
void W3c_handwritten(benchmark::State& state) {
  const w3::b_data d = w3::b_points_data();
  double wv = w3::b_w0, bv = w3::b_b0;
  for (auto _ : state) {
    const double* px = d.x.data();
    const double* py = d.y.data();
    benchmark::DoNotOptimize(px);
    benchmark::DoNotOptimize(py);
    benchmark::ClobberMemory();
    double gw = 0.0, gb = 0.0;
    if constexpr (Simd) {
#pragma omp simd reduction(+ : gw, gb)
      for (std::size_t i = 0; i < w3::b_points; ++i) {
        const double r2 = 2.0 * (wv * px[i] + bv - py[i]);
        gw += r2 * px[i];
        gb += r2;
      }
    } else {
      for (std::size_t i = 0; i < w3::b_points; ++i) {
        const double r2 = 2.0 * (wv * px[i] + bv - py[i]);
        gw += r2 * px[i];
        gb += r2;
      }
    }
    wv -= w3::b_learning_rate / w3::b_points * gw;
    bv -= w3::b_learning_rate / w3::b_points * gb;
    benchmark::DoNotOptimize(wv);
    benchmark::DoNotOptimize(bv);
  }
  state.counters["points"] = static_cast<double>(w3::b_points);
}

}  // namespace

// The gradient agrees with the hand-written one (checked once, before timing, at the first step).
[[maybe_unused]] static const bool w3c_checked = [] {
  const w3::b_data d = w3::b_points_data();
  auto step = tl::compile(loss, tl::wrt(w, b));
  const auto r = step(x = tl::view(d.x.data(), w3::b_points), y = tl::view(d.y.data(), w3::b_points), w = w3::b_w0,
                      b = w3::b_b0);
  double gw = 0.0, gb = 0.0;
  for (std::size_t i = 0; i < w3::b_points; ++i) {
    const double r2 = 2.0 * (w3::b_w0 * d.x[i] + w3::b_b0 - d.y[i]);
    gw += r2 * d.x[i];
    gb += r2;
  }
  const double ew = std::fabs(r.grad(w) - gw) / std::fabs(gw), eb = std::fabs(r.grad(b) - gb) / std::fabs(gb);
  if (!(ew < 1e-12 && eb < 1e-12)) {
    std::fprintf(stderr, "bench_w3: W3c tapeless gradient (%.17g, %.17g) differs from hand-written (%.17g, %.17g)\n",
                 r.grad(w), r.grad(b), gw, gb);
    std::exit(1);
  }
  return true;
}();

BENCHMARK(W3c_tapeless)->Name("W3c/tapeless");
BENCHMARK(W3c_handwritten<true>)->Name("W3c/handwritten");
BENCHMARK(W3c_handwritten<false>)->Name("W3c/handwritten_serial");
