#pragma once
// Compile-time diagnostics of the training layer, in the style of core/diagnostics.hpp: each
// mistake is one class template whose name says what is wrong and whose arguments are the
// numbers, shown by the compiler next to the one error message.
#include <cstddef>

#include "../core/diagnostics.hpp"

namespace tapeless::nn::diagnostics {

using tapeless::diagnostics::always_false;
using tapeless::diagnostics::always_false_n;

/// A layer that expects In features was given an input whose last extent is Given.
template <std::size_t Expected, std::size_t Given>
struct layer_input_width_differs {
  static_assert(always_false_n<Expected, Given>,
                "tapeless::nn::linear: the input's last extent is not the layer's input width (expected and "
                "given widths in layer_input_width_differs<expected, given>); feed the previous layer's "
                "output width, or change linear<Name, In, Out>");
};

/// A loss was given a prediction and a target of different shapes.
template <class Prediction, class Target>
struct loss_shapes_differ {
  static_assert(always_false<Prediction, Target>,
                "tapeless::nn: a loss needs a prediction and a target of the same shape (shapes in "
                "loss_shapes_differ<prediction, target>); reshape the target, e.g. to [batch, 1]");
};

/// cross_entropy takes logits [batch, classes]; given another rank.
template <std::size_t Rank>
struct cross_entropy_needs_rank_2 {
  static_assert(always_false_n<Rank>,
                "tapeless::nn::cross_entropy: the logits must have shape [batch, classes] (the rank given is "
                "in cross_entropy_needs_rank_2<rank>)");
};

/// A layer was applied to a tensor of a rank it does not take.
template <std::size_t Rank>
struct layer_input_rank_unsupported {
  static_assert(always_false_n<Rank>,
                "tapeless::nn::linear: the input must have shape [batch, features] (the rank given is in "
                "layer_input_rank_unsupported<rank>)");
};

}  // namespace tapeless::nn::diagnostics
