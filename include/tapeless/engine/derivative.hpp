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
#include "forward_mode.hpp"
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
    step_for<E> s(expr);
    if (!s.template run<engine::detail::entry::derivative>(detail::as_bindings(data...))) return T{};
    std::array<T, graph::node_count_v<E>> tangent{};
    tangent[engine::wrt_ids_v<E, Leaf>[0]] = T(1);
    engine::run_tangent(engine::forward_program_t<E>{}, s.policy().workspace().value, tangent);
    return tangent[graph::node_count_v<E> - 1];
  }
};

/// d expr / d leaf of a tensor graph: for a scalar leaf one forward sweep on dual numbers; for
/// a tensor leaf the tensor of partial derivatives, of the leaf's shape (tl::jacobian).
template <class E, class Leaf>
class tensor_derivative_function {
 public:
  using T = typename E::value_type;
  explicit tensor_derivative_function(const E& e) : forward_(e), jacobian_(e) {}

  template <class... B>
  [[nodiscard]] auto at(const B&... data) {
    if constexpr (Leaf::shape_type::rank == 0) {
      std::array<engine::tensor::direction_data<T>, 1> dir{};
      dir[0].number = T(1);
      if (!forward_.template run<engine::detail::entry::derivative>(detail::as_bindings(data...), dir)) return T{};
      return T(forward_.last().tangent());
    } else {
      return jacobian_.at(data...);
    }
  }
  template <class... B>
  [[nodiscard]] auto operator()(const B&... data) {
    return at(data...);
  }

 private:
  jvp_step<E, Leaf> forward_;
  jacobian_function<E, Leaf> jacobian_;
};

/// d expr / d leaf by forward mode (one sweep per leaf); `expr` a scalar, `leaf` a param. On a
/// tensor graph, a tensor leaf gives the tensor of partial derivatives (of the leaf's shape).
template <expression E, class Leaf>
[[nodiscard]] constexpr auto derivative(const E& expr, const Leaf&) {
  engine::detail::check_differentiable<engine::detail::entry::derivative, E, Leaf>();
  if constexpr (engine::tensor::is_tensor_graph_v<E>) return tensor_derivative_function<E, Leaf>{expr};
  else return derivative_function<E, Leaf>{expr};
}

}  // namespace tapeless
