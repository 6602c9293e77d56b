#pragma once
// Forward mode: derivative(expr, x).at(bindings) is d expr / d x, computed with each op's
// Jacobian-vector product in one sweep in topological order, next to the values. Another
// algorithm over the same programs: no op knows about it beyond its jvp rule.
#include <array>
#include <cstddef>
#include <type_traits>

#include "../core/expression.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "differentiate.hpp"
#include "program.hpp"

namespace tapeless {

namespace engine {

template <class Step, class T, std::size_t N>
constexpr void execute_tangent(Step, const std::array<T, N>&, std::array<T, N>&) {}

template <class Op, std::size_t Out, std::size_t... In, class T, std::size_t N>
constexpr void execute_tangent(apply_op<Op, Out, In...>, const std::array<T, N>& value, std::array<T, N>& tangent) {
  tangent[Out] = Op::jvp(value[Out], value[In]..., tangent[In]...);
}

template <class... Steps, class T, std::size_t N>
constexpr void run_tangent(program<Steps...>, const std::array<T, N>& value, std::array<T, N>& tangent) {
  (execute_tangent(Steps{}, value, tangent), ...);
}

}  // namespace engine

/// d expr / d leaf as a function of the bindings, by forward mode.
template <class E, class Leaf>
struct derivative_function {
  E expr;

  template <class... B>
  [[nodiscard]] constexpr auto at(const B&... data) const {
    using T = typename E::value_type;
    const auto b = detail::as_bindings(data...);
    if constexpr (engine::detail::check_bindings<engine::detail::entry::derivative, E, std::remove_cvref_t<decltype(b)>>()) {
      engine::workspace_for<E> w;
      engine::forward(expr, b, w);
      std::array<T, graph::node_count_v<E>> tangent{};
      tangent[engine::wrt_ids_v<E, Leaf>[0]] = T(1);
      engine::run_tangent(engine::forward_program_t<E>{}, w.value, tangent);
      return tangent[graph::node_count_v<E> - 1];
    } else {
      return T{};
    }
  }
};

/// d expr / d leaf by forward mode (one sweep per leaf); `expr` a scalar, `leaf` a param.
template <expression E, class Leaf>
[[nodiscard]] constexpr auto derivative(const E& expr, const Leaf&) {
  engine::detail::check_differentiable<engine::detail::entry::derivative, E, Leaf>();
  return derivative_function<E, Leaf>{expr};
}

}  // namespace tapeless
