// Forward mode and second order on W1 (seed 003's two-layer network, float64), at the shared
// initial weights along a fixed direction (V1, V2), standard normal:
//   W1hvp/tapeless  one Hessian-vector product: tl::hvp(loss, tl::wrt(w1, w2)) (value, gradient
//                   and H v; forward over reverse on dual numbers)
//   W1hvp/grad      one gradient: tl::compile(loss, tl::wrt(w1, w2))
//   W1jvp/tapeless  one Jacobian-vector product: tl::jvp(loss, tl::wrt(w1, w2)) (value and J v)
//   W1jvp/forward   one forward pass: tl::compile(loss)
// (W1hvp/libtorch, LibTorch's double backward, is in w1_libtorch.cpp.) One benchmark iteration
// = w1::second_order_steps evaluations; times are reported per evaluation.
#include <benchmark/benchmark.h>

#include "w1_second_order.hpp"

namespace tl = tapeless;
using namespace w1::second;

namespace {

template <class F>
void run(benchmark::State& state, F&& evaluate) {
  for (auto _ : state) {
    for (int t = 0; t < w1::second_order_steps; ++t) benchmark::DoNotOptimize(evaluate());
    benchmark::ClobberMemory();
  }
  state.counters["steps"] = w1::second_order_steps;
}

void W1hvp_tapeless(benchmark::State& state) {
  problem p;
  auto h = tl::hvp(loss, tl::wrt(w1p, w2p));
  run(state, [&] { return h(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2, tl::along(p.V1, p.V2)).hvp(w2p).data()[0]; });
}

void W1hvp_grad(benchmark::State& state) {
  problem p;
  auto g = tl::compile(loss, tl::wrt(w1p, w2p));
  run(state, [&] { return g(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2).grad(w2p)(0, 0); });
}

void W1jvp_tapeless(benchmark::State& state) {
  problem p;
  auto j = tl::jvp(loss, tl::wrt(w1p, w2p));
  run(state, [&] { return j(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2, tl::along(p.V1, p.V2)).tangent(); });
}

void W1jvp_forward(benchmark::State& state) {
  problem p;
  auto f = tl::compile(loss);
  run(state, [&] { return f(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2).value(); });
}

}  // namespace

w1::second_order_probe w1::second_order_tapeless() {
  problem p;
  auto h = tl::hvp(loss, tl::wrt(w1p, w2p));
  const auto r = h(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2, tl::along(p.V1, p.V2));
  auto j = tl::jvp(loss, tl::wrt(w1p, w2p));
  const auto t = j(x = p.X, y = p.Y, w1p = p.W1, w2p = p.W2, tl::along(p.V1, p.V2));
  second_order_probe out;
  out.value = r.value();
  out.jvp = t.tangent();
  for (std::size_t i = 0; i < p.V1.size(); ++i) out.vhv += p.V1.data()[i] * r.hvp(w1p).data()[i];
  for (std::size_t i = 0; i < p.V2.size(); ++i) out.vhv += p.V2.data()[i] * r.hvp(w2p).data()[i];
  return out;
}

BENCHMARK(W1hvp_tapeless)->Name("W1hvp/tapeless")->Unit(benchmark::kMillisecond);
BENCHMARK(W1hvp_grad)->Name("W1hvp/grad")->Unit(benchmark::kMillisecond);
BENCHMARK(W1jvp_tapeless)->Name("W1jvp/tapeless")->Unit(benchmark::kMillisecond);
BENCHMARK(W1jvp_forward)->Name("W1jvp/forward")->Unit(benchmark::kMillisecond);
