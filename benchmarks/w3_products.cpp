// W3e: a least-squares gradient whose product is a matrix times one column. X (1000 x N) and
// y (1000 x 1) are inputs, w (N x 1) and b scalar params, for N = 10, 80 and 150:
//   loss = 0.5 * sum(square(X w + b - y)),  d/dw = Xᵀ r,  d/db = sum(r),  r = X w + b - y.
// One iteration = one value and gradient (counter "points" = 1).
//
// tapeless:    tl::compile(loss, tl::wrt(w, b)) once; per iteration one call on views.
// handwritten: r = X w by dgemv, r += b - y and the loss in one loop, Xᵀ r by dgemv and
//              sum(r): what a C++ programmer writes with a CBLAS at hand.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <tapeless/tapeless.hpp>

#include "w3_common.hpp"

namespace tl = tapeless;

namespace {

constexpr std::size_t rows = 1000;

template <std::size_t N>
struct problem {
  std::vector<double> X = w3::uniform(rows * N, -1.0, 1.0, 10 + N);
  std::vector<double> y = w3::uniform(rows, -1.0, 1.0, 11 + N);
  std::vector<double> w = w3::uniform(N, -0.5, 0.5, 12 + N);
  double b = 0.25;
};

template <std::size_t N>
struct model {
  static constexpr auto X = tl::input<"X", tl::shape<rows, N>>;
  static constexpr auto y = tl::input<"y", tl::shape<rows, 1>>;
  static constexpr auto w = tl::param<"w", tl::shape<N, 1>>;
  static constexpr auto b = tl::scalar<"b">;
  static constexpr auto loss = 0.5 * tl::sum(tl::square(tl::matmul(X, w) + b - y));
};

/// The hand-written value and gradient; r is scratch of `rows` elements.
template <std::size_t N>
double handwritten(const problem<N>& p, double* r, double* gw, double& gb) {
  cblas_dgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(rows), static_cast<int>(N), 1.0, p.X.data(),
              static_cast<int>(N), p.w.data(), 1, 0.0, r, 1);
  double loss = 0.0, sum = 0.0;
  for (std::size_t i = 0; i < rows; ++i) {
    r[i] += p.b - p.y[i];
    loss += r[i] * r[i];
    sum += r[i];
  }
  cblas_dgemv(CblasRowMajor, CblasTrans, static_cast<int>(rows), static_cast<int>(N), 1.0, p.X.data(),
              static_cast<int>(N), r, 1, 0.0, gw, 1);
  gb = sum;
  return 0.5 * loss;
}

template <std::size_t N>
void W3e_tapeless(benchmark::State& state) {
  using M = model<N>;
  problem<N> p;
  auto step = tl::compile(M::loss, tl::wrt(M::w, M::b));
  for (auto _ : state) {
    const double* px = p.X.data();
    benchmark::DoNotOptimize(px);
    benchmark::ClobberMemory();
    const auto r = step(M::X = tl::view(px, rows, N), M::y = tl::view(p.y.data(), rows, 1),
                        M::w = tl::view(p.w.data(), N, 1), M::b = p.b);
    benchmark::DoNotOptimize(r.value());
    benchmark::DoNotOptimize(r.grad(M::w).data());
    benchmark::DoNotOptimize(r.grad(M::b));
  }
  state.counters["points"] = 1;
}

template <std::size_t N>
void W3e_handwritten(benchmark::State& state) {
  problem<N> p;
  std::vector<double> r(rows), gw(N);
  for (auto _ : state) {
    const double* px = p.X.data();
    benchmark::DoNotOptimize(px);
    benchmark::ClobberMemory();
    double gb = 0;
    const double loss = handwritten(p, r.data(), gw.data(), gb);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(gw.data());
    benchmark::DoNotOptimize(gb);
  }
  state.counters["points"] = 1;
}

/// tapeless's value and gradient agree with the hand-written ones (checked before timing).
template <std::size_t N>
bool agrees() {
  using M = model<N>;
  problem<N> p;
  std::vector<double> r(rows), gw(N);
  double gb = 0;
  const double loss = handwritten(p, r.data(), gw.data(), gb);
  auto step = tl::compile(M::loss, tl::wrt(M::w, M::b));
  const auto t = step(M::X = tl::view(p.X.data(), rows, N), M::y = tl::view(p.y.data(), rows, 1),
                      M::w = tl::view(p.w.data(), N, 1), M::b = p.b);
  bool ok = std::fabs(t.value() - loss) <= 1e-12 * std::fabs(loss) && std::fabs(t.grad(M::b) - gb) <= 1e-10;
  for (std::size_t j = 0; j < N; ++j) ok = ok && std::fabs(t.grad(M::w)(j, 0) - gw[j]) <= 1e-10 * (1 + std::fabs(gw[j]));
  if (!ok) std::fprintf(stderr, "bench_w3: W3e (N = %zu): tapeless's value or gradient differs from hand-written\n", N);
  return ok;
}

[[maybe_unused]] const bool w3e_checked = [] {
  if (!(agrees<10>() && agrees<80>() && agrees<150>())) std::exit(1);
  return true;
}();

}  // namespace

BENCHMARK(W3e_tapeless<10>)->Name("W3e-N10/tapeless");
BENCHMARK(W3e_handwritten<10>)->Name("W3e-N10/handwritten");
BENCHMARK(W3e_tapeless<80>)->Name("W3e-N80/tapeless");
BENCHMARK(W3e_handwritten<80>)->Name("W3e-N80/handwritten");
BENCHMARK(W3e_tapeless<150>)->Name("W3e-N150/tapeless");
BENCHMARK(W3e_handwritten<150>)->Name("W3e-N150/handwritten");
