#pragma once
// Losses in PyTorch's vocabulary, as expressions: each returns a scalar expression whose value
// and gradients match torch.nn.functional's (tests/reference/nn_losses.cpp compares them).
//
//   nn::mse_loss(pred, target)                          mean((pred - target)^2)
//   nn::mse_loss<nn::reduction::sum>(pred, target)      sum((pred - target)^2)
//   nn::l1_loss, nn::smooth_l1_loss(p, t, beta = 1)     |d|; 0.5 d²/beta where |d| < beta, else |d| - beta/2
//   nn::bce_with_logits_loss(logits, target)            softplus(x) - x·y, stable for any logit
//   nn::cross_entropy(logits [B, C], target [B, C])     -mean over rows of Σ target·log_softmax(logits)
//
// cross_entropy takes the targets as a [B, C] tensor: one-hot rows for class labels (fill them
// from integer labels with nn::one_hot), or class probabilities. With one-hot rows it equals
// PyTorch's cross_entropy with integer class targets.
//
// The prediction and the target must have the same shape (PyTorch only warns when they
// broadcast, and the result is then rarely what was meant): a mismatch is a compile error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <xtensor/xtensor.hpp>

#include "../core/expression.hpp"
#include "../ops/abs.hpp"
#include "../ops/mul.hpp"
#include "../ops/negate.hpp"
#include "../ops/reduce.hpp"
#include "../ops/softplus.hpp"
#include "../ops/square.hpp"
#include "../ops/sub.hpp"
#include "../ops/where.hpp"
#include "diagnostics.hpp"
#include "layers.hpp"

namespace tapeless::nn {

/// How a loss reduces its elementwise terms (PyTorch's reduction='mean' / 'sum').
enum class reduction { mean, sum };

namespace detail {

template <class P, class T>
constexpr bool same_shape() {
  return std::is_same_v<typename P::shape_type, typename T::shape_type>;
}

/// pred - target, after the shape check every loss makes.
template <class P, class T>
constexpr auto difference(const P& p, const T& t) {
  if constexpr (!same_shape<P, T>()) {
    if constexpr (!tapeless::detail::contains_rejected_v<P> && !tapeless::detail::contains_rejected_v<T>)
      (void)diagnostics::loss_shapes_differ<typename P::shape_type, typename T::shape_type>{};
    return node<ops::rejected<ops::sub>, P, T>{p, t};
  } else {
    return p - t;
  }
}

template <reduction R, class E>
constexpr auto reduce(const E& e) {
  if constexpr (R == reduction::mean) return mean(e);
  else return sum(e);
}

}  // namespace detail

/// Mean squared error (PyTorch's nn.MSELoss).
template <reduction R = reduction::mean, expression P, expression T>
[[nodiscard]] constexpr auto mse_loss(const P& pred, const T& target) {
  return detail::reduce<R>(square(detail::difference(pred, target)));
}

/// Mean absolute error (nn.L1Loss); the gradient at a zero difference is 0, as torch.sign.
template <reduction R = reduction::mean, expression P, expression T>
[[nodiscard]] constexpr auto l1_loss(const P& pred, const T& target) {
  return detail::reduce<R>(abs(detail::difference(pred, target)));
}

/// Huber-like smooth L1 (nn.SmoothL1Loss): 0.5 d²/beta where |d| < beta, else |d| - beta/2.
/// beta must be positive (for beta = 0 use l1_loss, which PyTorch's beta = 0 equals).
template <reduction R = reduction::mean, expression P, expression T>
[[nodiscard]] constexpr auto smooth_l1_loss(const P& pred, const T& target, double beta = 1.0) {
  using V = typename P::value_type;
  if (!(beta > 0)) throw std::invalid_argument("tapeless::nn::smooth_l1_loss: beta must be positive; for beta = 0 use l1_loss");
  const auto d = detail::difference(pred, target);
  const auto ad = abs(d);
  return detail::reduce<R>(where(ad < V(beta), V(0.5 / beta) * square(d), ad - V(0.5 * beta)));
}

/// Binary cross-entropy on logits (nn.BCEWithLogitsLoss): softplus(x) - x·y, which is
/// log(1 + e^x) - x·y without overflow for any x; the gradient is sigmoid(x) - y.
template <reduction R = reduction::mean, expression X, expression Y>
[[nodiscard]] constexpr auto bce_with_logits_loss(const X& logits, const Y& target) {
  if constexpr (!detail::same_shape<X, Y>()) {
    return detail::reduce<R>(detail::difference(logits, target));
  } else {
    return detail::reduce<R>(softplus(logits) - logits * target);
  }
}

/// Cross-entropy from logits [B, C] and targets [B, C] (one-hot rows or class probabilities),
/// averaged over the batch (nn.CrossEntropyLoss); log_softmax keeps logits of ±1000 finite.
template <reduction R = reduction::mean, expression X, expression Y>
[[nodiscard]] constexpr auto cross_entropy(const X& logits, const Y& target) {
  if constexpr (X::shape_type::rank != 2) {
    (void)diagnostics::cross_entropy_needs_rank_2<X::shape_type::rank>{};
    return detail::reduce<R>(node<ops::rejected<ops::sub>, X, Y>{logits, target});
  } else if constexpr (!detail::same_shape<X, Y>()) {
    return detail::reduce<R>(detail::difference(logits, target));
  } else {
    const auto per_row = -sum<1>(target * log_softmax(logits));
    return detail::reduce<R>(per_row);
  }
}

/// Writes one-hot rows for integer class labels into `out` ([labels.size(), classes], already
/// sized); throws std::out_of_range naming the row of a label outside [0, classes).
template <class Labels, class Out>
void one_hot_into(const Labels& labels, Out& out) {
  using T = typename Out::value_type;
  const std::size_t rows = static_cast<std::size_t>(out.shape()[0]);
  const std::size_t classes = static_cast<std::size_t>(out.shape()[1]);
  if (static_cast<std::size_t>(std::size(labels)) != rows)
    throw std::invalid_argument("tapeless::nn::one_hot: " + std::to_string(std::size(labels)) + " labels for " +
                                std::to_string(rows) + " rows");
  // Every label is checked (as a double: NaN and huge values included) before any row is written.
  std::size_t i = 0;
  for (const auto label : labels) {
    const double v = static_cast<double>(label);
    if (!(v >= 0 && v < static_cast<double>(classes)) || v != std::floor(v))
      throw std::out_of_range("tapeless::nn::one_hot: the label at row " + std::to_string(i) + " is " +
                              std::to_string(v) + ", not a class in [0, " + std::to_string(classes) + ")");
    ++i;
  }
  T* o = out.data();
  i = 0;
  for (const auto label : labels) {
    for (std::size_t c = 0; c < classes; ++c) o[i * classes + c] = T(0);
    o[i * classes + static_cast<std::size_t>(static_cast<double>(label))] = T(1);
    ++i;
  }
}

/// One-hot rows [labels.size(), classes] for integer class labels.
template <class T = float, class Labels>
[[nodiscard]] xt::xtensor<T, 2> one_hot(const Labels& labels, std::size_t classes) {
  xt::xtensor<T, 2> out = xt::xtensor<T, 2>::from_shape({static_cast<std::size_t>(std::size(labels)), classes});
  one_hot_into(labels, out);
  return out;
}

}  // namespace tapeless::nn
