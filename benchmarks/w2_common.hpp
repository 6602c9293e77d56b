#pragma once
// Data and sizes shared by every implementation of workload W2 (seed 004's SimpleNet), so that
// tapeless, the hand-written C++ and LibTorch start from exactly the same numbers.
//
//   h = x fc1.weight^T + fc1.bias, a = relu(h), p = a fc2.weight^T + fc2.bias
//   loss = mean((p - y)^2), SGD with learning rate 0.01, 100000 full-batch steps, float32.
//
// The numbers below are the ones PyTorch 1.13 produces for seed 004 (torch.manual_seed(42),
// X = randn(10, 4), y = randn(10, 1), then nn.Linear(4, 8) and nn.Linear(8, 1) with their default
// initialisation): copied from examples/data/simplenet_*.csv, which
// examples/data/simplenet_reference.py writes (examples/data/SIMPLENET.md). They are embedded so
// that the benchmark reads no file. Every value has 9 significant digits, so each float literal is
// exactly PyTorch's float32 value.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>

namespace w2 {

inline constexpr std::size_t N = 10;  // batch
inline constexpr std::size_t D_in = 4;
inline constexpr std::size_t H = 8;
inline constexpr std::size_t D_out = 1;
inline constexpr int steps = 100000;
inline constexpr float learning_rate = 0.01f;

/// X, N x D_in, row-major (simplenet_x.csv).
inline constexpr std::array<float, N * D_in> x = {
    1.92691529f,   1.48728406f,  0.900717199f,   -2.10552096f,  //
    0.678418458f,  -1.23454487f, -0.0430674776f, -1.60466695f,  //
    -0.752135277f, 1.64872301f,  -0.392478645f,  -1.40360713f,  //
    -0.727881312f, -0.559430182f, -0.768838882f, 0.76244539f,   //
    1.64231694f,   -0.159597471f, -0.497397542f, 0.439589262f,  //
    -0.758131146f, 1.07831764f,  0.800800562f,   1.68062055f,   //
    0.0349123441f, 0.321103007f, 1.57360017f,    -0.845467448f, //
    1.3123076f,    0.687159598f, -1.08917534f,   -0.355286628f, //
    -1.41805995f,  0.896268308f, 0.0499053858f,  2.26671791f,   //
    1.17895091f,   -0.434454411f, -1.38636553f,  -1.28621554f,
};

/// y, N x D_out (simplenet_y.csv).
inline constexpr std::array<float, N * D_out> y = {
    -0.0499033481f, 0.526336968f, -0.00849882327f, 0.72906059f,  0.133141965f,
    0.863977671f,   -1.01567471f, -0.888748527f,   0.149779707f, -0.208893925f,
};

/// fc1.weight before training, H x D_in (PyTorch's layout: out x in; simplenet_fc1_weight.csv).
inline constexpr std::array<float, H * D_in> fc1_weight = {
    -0.33634454f,  0.202520072f,  0.179037929f,   0.415462196f,   //
    -0.258212686f, -0.340855896f, 0.265289068f,   -0.202102244f,  //
    0.303461909f,  -0.118650317f, 0.286022961f,   -0.388484001f,  //
    -0.252324879f, 0.152438223f,  0.105703771f,   -0.127479374f,  //
    0.298034728f,  0.339904606f,  -0.362586677f,  -0.266934097f,  //
    0.457830966f,  -0.168716252f, -0.177258193f,  -0.483797312f,  //
    -0.286335111f, 0.124901831f,  -0.0659965873f, -0.362942994f,  //
    0.0117283463f, -0.341540754f, -0.424198329f,  -0.275331318f,
};

/// fc1.bias before training, H (simplenet_fc1_bias.csv).
inline constexpr std::array<float, H> fc1_bias = {
    -0.437606037f, -0.318369031f, 0.499804437f,  0.09443748f,
    0.154079854f,  -0.466342151f, -0.328386903f, -0.16642791f,
};

/// fc2.weight before training, D_out x H (simplenet_fc2_weight.csv).
inline constexpr std::array<float, D_out * H> fc2_weight = {
    0.0552855358f,   -0.311099172f, -0.152336627f,  -0.211661294f,
    0.000979787786f, -0.131558344f, -0.0244997516f, -0.239578277f,
};

/// fc2.bias before training, D_out (simplenet_fc2_bias.csv).
inline constexpr std::array<float, D_out> fc2_bias = {-0.242677331f};

/// The loss PyTorch computes in each of the first 10 steps, before that step's update
/// (simplenet_losses.csv): every implementation must reproduce them.
inline constexpr std::array<float, 10> pytorch_losses = {
    0.588997245f, 0.565641105f, 0.544635177f, 0.525708079f, 0.508623719f,
    0.493176132f, 0.479184717f, 0.466491044f, 0.454955339f, 0.444516122f,
};

/// Each implementation trains for `steps` SGD steps from the initial weights above and returns
/// the loss computed in the last step (before its update).
float final_loss_handwritten(int steps);
float final_loss_tapeless(int steps);
#ifdef W2_HAVE_LIBTORCH
float final_loss_libtorch(int steps);
#endif

/// The timing loop shared by the implementations. One benchmark iteration is a block of `block`
/// steps that continues the training where the previous block stopped; when the 100000 steps
/// of a whole training are done, the trainer goes back to the initial weights with the timer
/// paused. So the iterations of a repetition walk through the real training run, and times are
/// reported per step (counter "steps" = steps per iteration). The trainer's address is hidden
/// from the optimiser at every block, so nothing it holds (data, weights) is treated as a
/// constant across blocks.
template <class Trainer>
void run_blocks(benchmark::State& state, Trainer& trainer, int block) {
  int done = 0;
  for (auto _ : state) {
    if (done + block > steps) {
      state.PauseTiming();
      trainer.reset();
      done = 0;
      state.ResumeTiming();
    }
    Trainer* p = &trainer;
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
    p->train(block);
    done += block;
    benchmark::DoNotOptimize(p->loss);
    benchmark::ClobberMemory();
  }
  state.counters["steps"] = block;
}

}  // namespace w2
