// W2 with LibTorch, the dynamic reference, written as seed 004 writes SimpleNet in PyTorch: a
// module with fc1 = Linear(4, 8) and fc2 = Linear(8, 1), forward fc2(relu(fc1(x))),
// torch::mse_loss, torch::optim::SGD(lr 0.01); per step forward, zero_grad, backward, step.
// The weights are copied from w2_common.hpp (PyTorch's initial values for manual_seed 42). One
// intra-op thread (torch::set_num_threads(1); the run script also sets OMP_NUM_THREADS=1).
//
// One benchmark iteration = a block of 100 steps (a step costs tens of microseconds here, against
// blocks of 1000 for the other implementations); times are compared per step.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "w2_common.hpp"

namespace {

struct SimpleNetImpl : torch::nn::Module {
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  SimpleNetImpl() {
    fc1 = register_module("fc1", torch::nn::Linear(w2::D_in, w2::H));
    fc2 = register_module("fc2", torch::nn::Linear(w2::H, w2::D_out));
  }
  torch::Tensor forward(const torch::Tensor& x) { return fc2(torch::relu(fc1(x))); }
};
TORCH_MODULE(SimpleNet);

template <std::size_t Size>
torch::Tensor tensor(const std::array<float, Size>& v, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

struct trainer {
  torch::Tensor x, y, loss;
  SimpleNet model;
  torch::optim::SGD optimizer;

  trainer()
      : x((torch::set_num_threads(1), tensor(w2::x, {w2::N, w2::D_in}))),
        y(tensor(w2::y, {w2::N, w2::D_out})),
        optimizer(model->parameters(), torch::optim::SGDOptions(w2::learning_rate)) {
    reset();
  }

  void reset() {
    torch::NoGradGuard no_grad;
    model->fc1->weight.copy_(tensor(w2::fc1_weight, {w2::H, w2::D_in}));
    model->fc1->bias.copy_(tensor(w2::fc1_bias, {w2::H}));
    model->fc2->weight.copy_(tensor(w2::fc2_weight, {w2::D_out, w2::H}));
    model->fc2->bias.copy_(tensor(w2::fc2_bias, {w2::D_out}));
  }

  void train(int steps) {
    for (int t = 0; t < steps; ++t) {
      loss = torch::mse_loss(model->forward(x), y);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
  }
};

void W2_libtorch(benchmark::State& state) {
  trainer tr;
  w2::run_blocks(state, tr, 100);
}

}  // namespace

float w2::final_loss_libtorch(int steps) {
  trainer tr;
  tr.train(steps);
  return tr.loss.item<float>();
}

BENCHMARK(W2_libtorch)->Name("W2/libtorch")->Unit(benchmark::kMicrosecond);
