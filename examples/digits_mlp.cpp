// A real data set: the handwritten digits of UCI / scikit-learn (1797 images of 8 x 8 pixels,
// 10 classes; examples/data/digits.csv, see examples/data/README.md for its source and licence).
// An MLP, Linear(64, 64) -> ReLU -> Linear(64, 10), trained with cross-entropy and minibatch
// Adam (batch 32, lr 1e-3) on 80% of the images; the other 20% measure the accuracy after
// every epoch. One progress line per epoch: epoch, mean training loss, held-out accuracy and
// training speed in examples per second. When LibTorch is available, the same model is trained
// on the same batches in LibTorch, and both speeds are printed.
//
// Usage: digits_mlp [path to digits.csv]
#include <chrono>
#include <cstdio>
#include <string>
#include <tapeless/nn.hpp>

#include "digits_common.hpp"

namespace tl = tapeless;
namespace nn = tapeless::nn;
using namespace digits;

#ifndef TAPELESS_EXAMPLE_DATA_DIR
#define TAPELESS_EXAMPLE_DATA_DIR "examples/data"
#endif

// A training batch has a static shape; the held-out set is evaluated in one call, with a
// dynamic number of rows.
constexpr auto x = tl::input<"x", tl::shape<batch, features>, float>;
constexpr auto target = tl::input<"target", tl::shape<batch, classes>, float>;  // one-hot rows
constexpr auto x_test = tl::input<"x_test", tl::shape<tl::dynamic, features>, float>;

constexpr auto fc1 = nn::linear<"fc1", features, hidden>;
constexpr auto fc2 = nn::linear<"fc2", hidden, classes>;
constexpr auto mlp = nn::sequential(fc1, nn::relu, fc2);
constexpr auto loss = nn::cross_entropy(mlp(x), target);

namespace {

data_set select(const xt::xtensor<float, 2>& table, const std::vector<std::size_t>& rows) {
  data_set d{xt::xtensor<float, 2>::from_shape({rows.size(), features}), xt::xtensor<float, 1>::from_shape({rows.size()})};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < features; ++j) d.images(i, j) = table(rows[i], j) / 16.0f;
    d.labels(i) = table(rows[i], features);
  }
  return d;
}

/// The fraction of rows whose largest logit is at the label.
template <class Logits>
double accuracy(const Logits& logits, const xt::xtensor<float, 1>& labels) {
  std::size_t right = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < classes; ++c)
      if (logits(i, c) > logits(i, best)) best = c;
    right += best == static_cast<std::size_t>(labels(i));
  }
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : TAPELESS_EXAMPLE_DATA_DIR "/digits.csv";
  const xt::xtensor<float, 2> table = nn::read_csv<float>(path);
  nn::manual_seed(0);
  const nn::index_split split = nn::split_indices(table.shape()[0], 0.2);
  const data_set train = select(table, split.train);
  const data_set test = select(table, split.test);
  std::printf("digits: %zu images, %zu for training, %zu held out\n", table.shape()[0], train.labels.size(),
              test.labels.size());

  nn::module model(mlp);  // PyTorch's initialisation, from the seeded default generator
  std::printf("%s", model.summary().c_str());
  const mlp_parameters initial{model.value(fc1.weight), model.value(fc2.weight), model.value(fc1.bias),
                               model.value(fc2.bias)};
  auto step = nn::compile(loss, model);
  auto predict = nn::compile(mlp(x_test), model);
  nn::adam optimizer(model, {.lr = learning_rate});

  // Shuffled batches of 32; the last, partial batch of each epoch is dropped (the batch shape
  // is static), and a new order each epoch lets every image take part.
  nn::minibatches batches(train.labels.size(), batch, nn::default_generator(), {.shuffle = true, .drop_last = true});
  xt::xtensor<float, 2> x_batch = xt::xtensor<float, 2>::from_shape({batch, features});
  xt::xtensor<float, 1> label_batch = xt::xtensor<float, 1>::from_shape({batch});
  xt::xtensor<float, 2> target_batch = xt::xtensor<float, 2>::from_shape({batch, classes});
  std::vector<epoch_batches> schedule;

  double seconds = 0, final_accuracy = 0;
  std::size_t examples = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    schedule.emplace_back();
    double loss_sum = 0;
    std::size_t steps = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto rows : batches.epoch()) {
      schedule.back().emplace_back(rows.begin(), rows.end());
      nn::gather_rows(train.images, rows, x_batch);
      nn::gather_rows(train.labels, rows, label_batch);
      nn::one_hot_into(label_batch, target_batch);
      optimizer.zero_grad();
      loss_sum += step.backward(x = x_batch, target = target_batch);
      optimizer.step();
      ++steps;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    seconds += s;
    examples += steps * batch;
    final_accuracy = accuracy(predict(x_test = test.images), test.labels);
    std::printf("epoch %2d: loss %.4f, held-out accuracy %.2f%%, %.0f examples/s\n", epoch, loss_sum / steps,
                100 * final_accuracy, steps * batch / s);
  }
  std::printf("held-out accuracy after %d epochs: %.2f%% (%s 95%%)\n", epochs, 100 * final_accuracy,
              final_accuracy >= 0.95 ? "at least" : "below");
  const double tapeless_speed = examples / seconds;
  std::printf("tapeless: %.0f examples/s\n", tapeless_speed);
#ifdef TAPELESS_DIGITS_LIBTORCH
  const libtorch_result torch = train_with_libtorch(train, test, initial, schedule);
  std::printf("LibTorch, same model and batches: %.0f examples/s, held-out accuracy %.2f%%\n", torch.examples_per_second,
              100 * torch.accuracy);
  std::printf("tapeless is %.1fx the speed of LibTorch\n", tapeless_speed / torch.examples_per_second);
#else
  (void)initial;
  std::printf("LibTorch not available: no comparison\n");
#endif
  return final_accuracy >= 0.95 ? 0 : 1;
}
