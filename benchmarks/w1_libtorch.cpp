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

namespace {

/// H v by double backward: the gradient with create_graph, then the gradient of <g, v>.
struct second_order {
  trainer<double> tr;
  torch::Tensor v1 = tensor(w1::direction(w1::D_in * w1::H, 5), w1::D_in, w1::H);
  torch::Tensor v2 = tensor(w1::direction(w1::H * w1::D_out, 6), w1::H, w1::D_out);

  std::vector<torch::Tensor> hvp() {
    torch::Tensor l = (tr.x.mm(tr.w1).clamp_min(0).mm(tr.w2) - tr.y).pow(2).sum();
    const auto g = torch::autograd::grad({l}, {tr.w1, tr.w2}, {}, /*retain_graph=*/true, /*create_graph=*/true);
    const torch::Tensor gv = (g[0] * v1).sum() + (g[1] * v2).sum();
    auto h = torch::autograd::grad({gv}, {tr.w1, tr.w2});
    tr.loss = l;
    return h;
  }
};

void W1hvp_libtorch(benchmark::State& state) {
  second_order s;
  for (auto _ : state) {
    for (int t = 0; t < w1::second_order_steps; ++t) {
      const auto h = s.hvp();
      benchmark::DoNotOptimize(h[1].data_ptr());
    }
    benchmark::ClobberMemory();
  }
  state.counters["steps"] = w1::second_order_steps;
}

}  // namespace

w1::second_order_probe w1::second_order_libtorch() {
  second_order s;
  const auto h = s.hvp();
  second_order_probe out;
  out.value = s.tr.loss.item<double>();
  out.vhv = ((h[0] * s.v1).sum() + (h[1] * s.v2).sum()).item<double>();
  // J v of the loss is <grad, v>.
  torch::Tensor l = (s.tr.x.mm(s.tr.w1).clamp_min(0).mm(s.tr.w2) - s.tr.y).pow(2).sum();
  const auto g = torch::autograd::grad({l}, {s.tr.w1, s.tr.w2});
  out.jvp = ((g[0] * s.v1).sum() + (g[1] * s.v2).sum()).item<double>();
  return out;
}

BENCHMARK(W1hvp_libtorch)->Name("W1hvp/libtorch")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_libtorch<double>)->Name("W1/libtorch")->Unit(benchmark::kMillisecond);
BENCHMARK(W1_libtorch<float>)->Name("W1f32/libtorch")->Unit(benchmark::kMillisecond);
