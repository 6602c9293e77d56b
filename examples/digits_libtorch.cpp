// The digits example's MLP in LibTorch: same initial parameters, same batches in the same order,
// Adam with the same settings; timed like the tapeless loop (the batch gathering included).
#include <torch/torch.h>

#include <chrono>

#include "digits_common.hpp"

namespace digits {

namespace {

torch::Tensor to_torch(const float* data, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<float*>(data), shape, torch::kFloat32).clone();
}

}  // namespace

libtorch_result train_with_libtorch(const data_set& train, const data_set& test, const mlp_parameters& initial,
                                    const std::vector<epoch_batches>& schedule) {
  torch::set_num_threads(1);
  const auto n = static_cast<int64_t>(train.labels.size());
  const torch::Tensor images = to_torch(train.images.data(), {n, int64_t(features)});
  const torch::Tensor labels = to_torch(train.labels.data(), {n}).to(torch::kInt64);

  torch::nn::Sequential mlp(torch::nn::Linear(features, hidden), torch::nn::ReLU(), torch::nn::Linear(hidden, classes));
  {
    torch::NoGradGuard no_grad;
    auto p = mlp->parameters();  // fc1.weight, fc1.bias, fc2.weight, fc2.bias
    p[0].copy_(to_torch(initial.w1.data(), {int64_t(hidden), int64_t(features)}));
    p[1].copy_(to_torch(initial.b1.data(), {int64_t(hidden)}));
    p[2].copy_(to_torch(initial.w2.data(), {int64_t(classes), int64_t(hidden)}));
    p[3].copy_(to_torch(initial.b2.data(), {int64_t(classes)}));
  }
  torch::optim::Adam optimizer(mlp->parameters(), torch::optim::AdamOptions(learning_rate));

  double seconds = 0;
  std::size_t examples = 0;
  for (const epoch_batches& epoch : schedule) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& rows : epoch) {
      std::vector<int64_t> index(rows.begin(), rows.end());
      const torch::Tensor idx = torch::from_blob(index.data(), {int64_t(index.size())}, torch::kInt64);
      const torch::Tensor xb = images.index_select(0, idx);
      const torch::Tensor yb = labels.index_select(0, idx);
      optimizer.zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(mlp->forward(xb), yb);
      loss.backward();
      optimizer.step();
      examples += rows.size();
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  torch::NoGradGuard no_grad;
  const auto m = static_cast<int64_t>(test.labels.size());
  const torch::Tensor logits = mlp->forward(to_torch(test.images.data(), {m, int64_t(features)}));
  const torch::Tensor predicted = logits.argmax(1);
  const torch::Tensor truth = to_torch(test.labels.data(), {m}).to(torch::kInt64);
  return {examples / seconds, predicted.eq(truth).to(torch::kFloat64).mean().item<double>()};
}

}  // namespace digits
