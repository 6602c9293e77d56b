// W1 with tapeless: seed 003's two-layer network as one expression, compiled once with
// tl::compile(loss, tl::wrt(w1, w2)); each step runs forward and backward in the planned
// workspace and updates the weights with xt::noalias (no allocation per step).
//
// One benchmark iteration = 500 SGD steps from the shared initial weights (the copy of the
// initial weights happens with the timer paused); times are reported per step.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <tapeless/tapeless.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

#include "w1_common.hpp"

namespace tl = tapeless;

namespace {

template <class T>
struct net {
  static constexpr auto x = tl::input<"x", tl::shape<w1::N, w1::D_in>, T>;
  static constexpr auto y = tl::input<"y", tl::shape<w1::N, w1::D_out>, T>;
  static constexpr auto w1 = tl::param<"w1", tl::shape<w1::D_in, w1::H>, T>;
  static constexpr auto w2 = tl::param<"w2", tl::shape<w1::H, w1::D_out>, T>;
  static constexpr auto y_pred = tl::matmul(tl::relu(tl::matmul(x, w1)), w2);
  static constexpr auto loss = tl::sum(tl::square(y_pred - y));
};

template <class T>
xt::xtensor<T, 2> matrix(const std::vector<T>& v, std::size_t rows, std::size_t cols) {
  xt::xtensor<T, 2> m = xt::xtensor<T, 2>::from_shape({rows, cols});
  std::copy(v.begin(), v.end(), m.begin());
  return m;
}

/// The training state: data, weights and the compiled step (which owns its workspace).
template <class T>
struct trainer {
  using M = net<T>;
  const w1::data<T>& d = w1::shared_data<T>();
  xt::xtensor<T, 2> X = matrix(d.x, w1::N, w1::D_in);
  xt::xtensor<T, 2> Y = matrix(d.y, w1::N, w1::D_out);
  xt::xtensor<T, 2> W1 = matrix(d.w1, w1::D_in, w1::H);
  xt::xtensor<T, 2> W2 = matrix(d.w2, w1::H, w1::D_out);
  decltype(tl::compile(M::loss, tl::wrt(M::w1, M::w2))) step = tl::compile(M::loss, tl::wrt(M::w1, M::w2));
  T loss = 0;

  void reset() {
    std::copy(d.w1.begin(), d.w1.end(), W1.begin());
    std::copy(d.w2.begin(), d.w2.end(), W2.begin());
  }

  void train(int steps) {
    const T lr = static_cast<T>(w1::learning_rate);
    for (int t = 0; t < steps; ++t) {
      const auto r = step(M::x = X, M::y = Y, M::w1 = W1, M::w2 = W2);
      loss = r.value();
      xt::noalias(W1) -= lr * r.grad(M::w1);
      xt::noalias(W2) -= lr * r.grad(M::w2);
    }
  }
};

template <class T>
void W1_tapeless(benchmark::State& state) {
  trainer<T> tr;
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

template <class T>
double final_loss(int steps) {
  trainer<T> tr;
  w1::hooked([&] { tr.train(steps); });
  return static_cast<double>(tr.loss);
}

}  // namespace

double w1::final_loss_tapeless_f64(int steps) { return final_loss<double>(steps); }
double w1::final_loss_tapeless_f32(int steps) { return final_loss<float>(steps); }

BENCHMARK(W1_tapeless<double>)->Name("W1/tapeless")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_tapeless<float>)->Name("W1f32/tapeless")->Unit(benchmark::kMillisecond);
