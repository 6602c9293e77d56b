#pragma once
// The step types of value and gradient computations: tl::step over the scalar policy (straight-
// line programs, constexpr) or the tensor policy (planned workspace, fused loops and kernels).
#include <type_traits>

#include "scalar_executor.hpp"
#include "step.hpp"
#include "tensor/compiled.hpp"

namespace tapeless {

/// The step type of E with gradients for Wrt...: a tensor or a scalar graph's policy.
template <class E, class... Wrt>
using step_for = step<E, std::conditional_t<engine::tensor::is_tensor_graph_v<E>, engine::tensor::gradient_policy<E, Wrt...>,
                                            engine::scalar_policy<E, Wrt...>>>;

}  // namespace tapeless
