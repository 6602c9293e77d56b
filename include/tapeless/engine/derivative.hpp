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

/// d expr / d leaf of a tensor graph: for a scalar leaf one forward sweep on dual numbers; for
/// a tensor leaf the tensor of partial derivatives, of the leaf's shape (tl::jacobian).
template <class E, class Leaf>
class tensor_derivative_function {
 public:
  using T = typename E::value_type;
  explicit tensor_derivative_function(const E& e) : expr_(e), jacobian_(e) {}

  template <class... B>
  [[nodiscard]] auto at(const B&... data) {
    if constexpr (Leaf::shape_type::rank == 0) {
      const auto b = detail::as_bindings(data...);
      T d{};
      if constexpr (engine::detail::check_bindings<engine::detail::entry::derivative, E, std::remove_cvref_t<decltype(b)>>()) {
        std::array<engine::tensor::direction_data<T>, 1> dir{};
        dir[0].number = T(1);
        forward_.run(expr_, b, dir);
        d = forward_.state().value_layout(forward_type::root).data->d;
      }
      return d;
    } else {
      return jacobian_.at(data...);
    }
  }
  template <class... B>
  [[nodiscard]] auto operator()(const B&... data) {
    return at(data...);
  }

 private:
  using forward_type = engine::tensor::dual_step<E, false, Leaf>;
  E expr_;
  forward_type forward_;
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
