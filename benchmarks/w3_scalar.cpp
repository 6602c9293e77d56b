// W3, tapeless against the same derivative written by hand, in one translation unit with the
// same flags and the same loop shape.
//
// W3a: d/dx of y = x^2 + 3x + 1 at 1000 points per iteration, summed.
// W3b: d/dw and d/db of sum_i (w x_i + b - y_i)^2 over 1000 points, as a loop over the scalar
//      gradient of (w xi + b - yi)^2 whose results are summed, then an SGD update of w and b.
//
// Each iteration hides the point arrays from the optimiser (DoNotOptimize on the pointers, then
// ClobberMemory), so nothing computed from the points can be hoisted out of the timed loop or
// folded across iterations; the sums are consumed with DoNotOptimize so they cannot be dropped.
#include <benchmark/benchmark.h>

#include <tapeless/tapeless.hpp>

#include "w3_common.hpp"

namespace tl = tapeless;

namespace {

constexpr auto x = tl::param<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto xi = tl::input<"xi">;
constexpr auto yi = tl::input<"yi">;

constexpr auto a_model = x * x + 3 * x + 1;
constexpr auto b_loss = tl::square(w * xi + b - yi);

static_assert(tl::grad(a_model, x).at(x = 2.0) == 7.0);

// ---- W3a ---------------------------------------------------------------------------------------

void W3a_tapeless(benchmark::State& state) {
  const std::vector<double> xs = w3::a_xs(w3::a_points);
  for (auto _ : state) {
    const double* p = xs.data();
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
    double sum = 0.0;
    for (std::size_t i = 0; i < w3::a_points; ++i) sum += tl::grad(a_model, x).at(x = p[i]);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["points"] = static_cast<double>(w3::a_points);
}

void W3a_handwritten(benchmark::State& state) {
  const std::vector<double> xs = w3::a_xs(w3::a_points);
  for (auto _ : state) {
    const double* p = xs.data();
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
    double sum = 0.0;
    for (std::size_t i = 0; i < w3::a_points; ++i) sum += 2.0 * p[i] + 3.0;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["points"] = static_cast<double>(w3::a_points);
}

// ---- W3b ---------------------------------------------------------------------------------------

void W3b_tapeless(benchmark::State& state) {
  const w3::b_data d = w3::b_points_data();
  double wv = w3::b_w0, bv = w3::b_b0;
  for (auto _ : state) {
    const double* px = d.x.data();
    const double* py = d.y.data();
    benchmark::DoNotOptimize(px);
    benchmark::DoNotOptimize(py);
    benchmark::ClobberMemory();
    double gw = 0.0, gb = 0.0;
    for (std::size_t i = 0; i < w3::b_points; ++i) {
      const auto g = tl::grad(b_loss, w, b).at(w = wv, b = bv, xi = px[i], yi = py[i]);
      gw += g[w];
      gb += g[b];
    }
    wv -= w3::b_learning_rate / w3::b_points * gw;
    bv -= w3::b_learning_rate / w3::b_points * gb;
    benchmark::DoNotOptimize(wv);
    benchmark::DoNotOptimize(bv);
  }
  state.counters["points"] = static_cast<double>(w3::b_points);
}

void W3b_handwritten(benchmark::State& state) {
  const w3::b_data d = w3::b_points_data();
  double wv = w3::b_w0, bv = w3::b_b0;
  for (auto _ : state) {
    const double* px = d.x.data();
    const double* py = d.y.data();
    benchmark::DoNotOptimize(px);
    benchmark::DoNotOptimize(py);
    benchmark::ClobberMemory();
    double gw = 0.0, gb = 0.0;
    for (std::size_t i = 0; i < w3::b_points; ++i) {
      const double r2 = 2.0 * (wv * px[i] + bv - py[i]);
      gw += r2 * px[i];
      gb += r2;
    }
    wv -= w3::b_learning_rate / w3::b_points * gw;
    bv -= w3::b_learning_rate / w3::b_points * gb;
    benchmark::DoNotOptimize(wv);
    benchmark::DoNotOptimize(bv);
  }
  state.counters["points"] = static_cast<double>(w3::b_points);
}

}  // namespace

BENCHMARK(W3a_tapeless)->Name("W3a/tapeless");
BENCHMARK(W3a_handwritten)->Name("W3a/handwritten");
BENCHMARK(W3b_tapeless)->Name("W3b/tapeless");
BENCHMARK(W3b_handwritten)->Name("W3b/handwritten");
