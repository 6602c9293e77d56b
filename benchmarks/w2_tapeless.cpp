// W2 with tapeless's training layer, written as seed 004 writes SimpleNet in PyTorch:
//   net = sequential(linear<"fc1", 4, 8>, relu, linear<"fc2", 8, 1>), loss = mse_loss(net(x), y)
// nn::module owns the parameters and their .grad, nn::compile(loss, model) plans forward and
// backward once, nn::sgd(lr 0.01) updates; per step zero_grad, backward (which accumulates into
// .grad and returns the loss), step. The weights are copied from w2_common.hpp (PyTorch's
// initial values for manual_seed 42) into the module.
//
// One benchmark iteration = a block of 1000 steps; times are reported per step.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <tapeless/nn.hpp>
#include <type_traits>
#include <xtensor/xtensor.hpp>

#include "w2_common.hpp"

namespace tl = tapeless;
namespace nn = tapeless::nn;

// The network as an expression (its type is the graph), in a namespace of its own so that the
// trainer's members can use the names PyTorch code uses.
namespace simplenet {
constexpr auto x = tl::input<"x", tl::shape<w2::N, w2::D_in>, float>;
constexpr auto y = tl::input<"y", tl::shape<w2::N, w2::D_out>, float>;
constexpr auto fc1 = nn::linear<"fc1", w2::D_in, w2::H>;  // "fc1.weight" [8, 4], "fc1.bias" [8]
constexpr auto fc2 = nn::linear<"fc2", w2::H, w2::D_out>;
constexpr auto net = nn::sequential(fc1, nn::relu, fc2);
constexpr auto loss = nn::mse_loss(net(x), y);
using network = std::remove_cvref_t<decltype(net)>;
}  // namespace simplenet

namespace {

template <class Dst, class Src>
void copy_into(Dst& dst, const Src& src) {
  std::copy(src.begin(), src.end(), dst.begin());
}

struct trainer {
  xt::xtensor<float, 2> X = xt::xtensor<float, 2>::from_shape({w2::N, w2::D_in});
  xt::xtensor<float, 2> Y = xt::xtensor<float, 2>::from_shape({w2::N, w2::D_out});
  nn::module<simplenet::network> model{simplenet::net};
  decltype(nn::compile(simplenet::loss, model)) step = nn::compile(simplenet::loss, model);
  nn::sgd<simplenet::network> optimizer{model, {.lr = w2::learning_rate}};
  float loss = 0;

  trainer() {
    copy_into(X, w2::x);
    copy_into(Y, w2::y);
    reset();
  }

  void reset() {
    using simplenet::fc1, simplenet::fc2;
    copy_into(model.value(fc1.weight), w2::fc1_weight);
    copy_into(model.value(fc1.bias), w2::fc1_bias);
    copy_into(model.value(fc2.weight), w2::fc2_weight);
    copy_into(model.value(fc2.bias), w2::fc2_bias);
    model.zero_grad();
  }

  void train(int steps) {
    for (int t = 0; t < steps; ++t) {
      optimizer.zero_grad();
      loss = step.backward(simplenet::x = X, simplenet::y = Y);
      optimizer.step();
    }
  }
};

void W2_tapeless(benchmark::State& state) {
  trainer tr;
  w2::run_blocks(state, tr, 1000);
}

}  // namespace

float w2::final_loss_tapeless(int steps) {
  trainer tr;
  tr.train(steps);
  return tr.loss;
}

BENCHMARK(W2_tapeless)->Name("W2/tapeless")->Unit(benchmark::kMicrosecond);
