// W1 with LibTorch's autograd, the dynamic reference, written as seed 003 writes it in PyTorch:
// w1 and w2 are leaf tensors with requires_grad; per step
//   loss = (x.mm(w1).clamp(0).mm(w2) - y).pow(2).sum(); loss.backward();
// then, under NoGradGuard, w -= lr * w.grad() and w.grad().zero_(). One intra-op thread
// (torch::set_num_threads(1); the run script also sets OPENBLAS_NUM_THREADS=1).
//
// One benchmark iteration = 500 SGD steps from the shared initial weights (the copy of the
// initial weights happens with the timer paused); times are reported per step.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "w1_common.hpp"

namespace {

template <class T>
torch::Tensor tensor(const std::vector<T>& v, std::size_t rows, std::size_t cols) {
  constexpr auto dt = std::is_same_v<T, double> ? torch::kFloat64 : torch::kFloat32;
  return torch::from_blob(const_cast<T*>(v.data()), {static_cast<long>(rows), static_cast<long>(cols)},
                          torch::TensorOptions().dtype(dt))
      .clone();
}

template <class T>
struct trainer {
  const w1::data<T>& d = w1::shared_data<T>();
  torch::Tensor x = tensor(d.x, w1::N, w1::D_in), y = tensor(d.y, w1::N, w1::D_out);
  torch::Tensor w1 = tensor(d.w1, w1::D_in, w1::H).requires_grad_(true);
  torch::Tensor w2 = tensor(d.w2, w1::H, w1::D_out).requires_grad_(true);
  torch::Tensor loss;

  trainer() { torch::set_num_threads(1); }

  void reset() {
    torch::NoGradGuard no_grad;
    w1.copy_(tensor(d.w1, w1::D_in, w1::H));
    w2.copy_(tensor(d.w2, w1::H, w1::D_out));
  }

  void train(int steps) {
    const double lr = w1::learning_rate;
    for (int t = 0; t < steps; ++t) {
      loss = (x.mm(w1).clamp_min(0).mm(w2) - y).pow(2).sum();
      loss.backward();
      torch::NoGradGuard no_grad;
      w1 -= lr * w1.grad();
      w2 -= lr * w2.grad();
      w1.mutable_grad().zero_();
      w2.mutable_grad().zero_();
    }
  }
};

template <class T>
void W1_libtorch(benchmark::State& state) {
  trainer<T> tr;
  for (auto _ : state) {
    state.PauseTiming();
    tr.reset();
    state.ResumeTiming();
    tr.train(w1::steps);
    benchmark::DoNotOptimize(tr.loss.data_ptr());
    benchmark::ClobberMemory();
  }
  state.counters["steps"] = w1::steps;
}

template <class T>
double final_loss(int steps) {
  trainer<T> tr;
  w1::hooked([&] { tr.train(steps); });
  return tr.loss.template item<double>();
}

}  // namespace

double w1::final_loss_libtorch_f64(int steps) { return final_loss<double>(steps); }
double w1::final_loss_libtorch_f32(int steps) { return final_loss<float>(steps); }

BENCHMARK(W1_libtorch<double>)->Name("W1/libtorch")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_libtorch<float>)->Name("W1f32/libtorch")->Unit(benchmark::kMillisecond);
