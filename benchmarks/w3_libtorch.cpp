// W3 with LibTorch's autograd, the dynamic reference: every operation records a tape node at run
// time and backward() walks it. One intra-op thread (torch::set_num_threads(1)); the run script
// also sets OPENBLAS_NUM_THREADS=1.
//
// W3a/libtorch: per point, a 0-dim double tensor with requires_grad, y = x*x + 3*x + 1,
//   y.backward(), read x.grad(). 100 points per iteration instead of 1000 (each gradient costs
//   microseconds); times are compared per gradient.
// W3b/libtorch: the same scalar loop as tapeless: w and b are 0-dim leaf tensors with
//   requires_grad; per point, loss_i = (w*x_i + b - y_i)^2 and loss_i.backward(), which sums the
//   per-point gradients into w.grad() and b.grad(); then an SGD update under NoGradGuard and
//   zeroed grads. All 1000 points per step.
// W3b/libtorch_batched: how LibTorch is normally used for this loss: x and y as 1000-element
//   tensors, one loss ((w*x + b - y)^2).sum(), one backward() per step, same update.
// W3c/libtorch: the same code as W3b/libtorch_batched, the reference of W3c (the loss as one
//   tensor expression).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "w3_common.hpp"

namespace {

const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);

void W3a_libtorch(benchmark::State& state) {
  torch::set_num_threads(1);
  const std::vector<double> xs = w3::a_xs(w3::a_points_libtorch);
  for (auto _ : state) {
    const double* p = xs.data();
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
    double sum = 0.0;
    for (std::size_t i = 0; i < w3::a_points_libtorch; ++i) {
      torch::Tensor xt = torch::scalar_tensor(p[i], f64.requires_grad(true));
      torch::Tensor yt = xt * xt + 3 * xt + 1;
      yt.backward();
      sum += xt.grad().item<double>();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["points"] = static_cast<double>(w3::a_points_libtorch);
}

void W3b_libtorch(benchmark::State& state) {
  torch::set_num_threads(1);
  const w3::b_data d = w3::b_points_data();
  torch::Tensor wt = torch::scalar_tensor(w3::b_w0, f64.requires_grad(true));
  torch::Tensor bt = torch::scalar_tensor(w3::b_b0, f64.requires_grad(true));
  for (auto _ : state) {
    const double* px = d.x.data();
    const double* py = d.y.data();
    benchmark::DoNotOptimize(px);
    benchmark::DoNotOptimize(py);
    benchmark::ClobberMemory();
    for (std::size_t i = 0; i < w3::b_points; ++i) {
      torch::Tensor loss = (wt * px[i] + bt - py[i]).square();
      loss.backward();
    }
    {
      torch::NoGradGuard no_grad;
      wt -= w3::b_learning_rate / w3::b_points * wt.grad();
      bt -= w3::b_learning_rate / w3::b_points * bt.grad();
      wt.mutable_grad().zero_();
      bt.mutable_grad().zero_();
    }
  }
  benchmark::DoNotOptimize(wt.item<double>());
  state.counters["points"] = static_cast<double>(w3::b_points);
}

void batched(benchmark::State& state) {
  torch::set_num_threads(1);
  const w3::b_data d = w3::b_points_data();
  const torch::Tensor xt = torch::from_blob(const_cast<double*>(d.x.data()), {static_cast<long>(w3::b_points)}, f64).clone();
  const torch::Tensor yt = torch::from_blob(const_cast<double*>(d.y.data()), {static_cast<long>(w3::b_points)}, f64).clone();
  torch::Tensor wt = torch::scalar_tensor(w3::b_w0, f64.requires_grad(true));
  torch::Tensor bt = torch::scalar_tensor(w3::b_b0, f64.requires_grad(true));
  for (auto _ : state) {
    torch::Tensor loss = (wt * xt + bt - yt).square().sum();
    loss.backward();
    {
      torch::NoGradGuard no_grad;
      wt -= w3::b_learning_rate / w3::b_points * wt.grad();
      bt -= w3::b_learning_rate / w3::b_points * bt.grad();
      wt.mutable_grad().zero_();
      bt.mutable_grad().zero_();
    }
  }
  benchmark::DoNotOptimize(wt.item<double>());
  state.counters["points"] = static_cast<double>(w3::b_points);
}

}  // namespace

BENCHMARK(W3a_libtorch)->Name("W3a/libtorch");
BENCHMARK(W3b_libtorch)->Name("W3b/libtorch");
BENCHMARK(batched)->Name("W3b/libtorch_batched");
BENCHMARK(batched)->Name("W3c/libtorch");
