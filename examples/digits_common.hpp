// The digits example's data and settings, shared by the tapeless program and its LibTorch
// counterpart (digits_libtorch.cpp), so both train the same model on the same batches.
#pragma once
#include <cstddef>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace digits {

inline constexpr std::size_t features = 64;  // 8 x 8 pixels, 0..16, scaled to [0, 1]
inline constexpr std::size_t hidden = 64;
inline constexpr std::size_t classes = 10;
inline constexpr std::size_t batch = 32;
inline constexpr int epochs = 20;
inline constexpr double learning_rate = 1e-3;

struct data_set {
  xt::xtensor<float, 2> images;  // [n, 64]
  xt::xtensor<float, 1> labels;  // [n], class numbers 0..9
};

/// The parameters of the MLP (PyTorch layout: weight [out, in]).
struct mlp_parameters {
  xt::xtensor<float, 2> w1, w2;
  xt::xtensor<float, 1> b1, b2;
};

/// The batches of one epoch, as example indices into the training set.
using epoch_batches = std::vector<std::vector<std::size_t>>;

struct libtorch_result {
  double examples_per_second = 0;
  double accuracy = 0;
};

/// Trains the same MLP in LibTorch from `initial` over the same batches; defined in
/// digits_libtorch.cpp when LibTorch is available.
libtorch_result train_with_libtorch(const data_set& train, const data_set& test, const mlp_parameters& initial,
                                    const std::vector<epoch_batches>& schedule);

}  // namespace digits
