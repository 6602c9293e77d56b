#pragma once
// The public entry points: value, grad, value_and_grad. Each checks its arguments once, then
// runs the generated forward (and backward) program over a workspace on the stack. Scalar
// graphs evaluate in constant expressions.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/expression.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "program.hpp"
#include "result.hpp"
#include "scalar_executor.hpp"
#include "tensor/compiled.hpp"
#include <xtensor/xtensor.hpp>

namespace tapeless {

namespace engine {

template <class Root>
using workspace_for = scalar_workspace<typename Root::value_type, graph::node_count_v<Root>>;

template <class Root, class Bindings>
constexpr void forward(const Root& root, const Bindings& b, workspace_for<Root>& w) {
  load_constants(root, constant_program_t<Root>{}, w);
  run_forward(forward_program_t<Root>{}, w, b);
}

template <class Root, class... Wrt>
constexpr void backward(workspace_for<Root>& w) {
  w.adjoint[graph::node_count_v<Root> - 1] = typename Root::value_type(1);
  run_backward(backward_program_t<Root, Wrt...>{}, w);
}

template <class Root, class... Wrt>
constexpr auto collect_gradients(const workspace_for<Root>& w) {
  using T = typename Root::value_type;
  constexpr auto& ids = wrt_ids_v<Root, Wrt...>;
  if constexpr (sizeof...(Wrt) == 1) {
    return w.adjoint[ids[0]];
  } else {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return gradients<T, Wrt...>{{w.adjoint[ids[K]]...}};
    }(std::index_sequence_for<Wrt...>{});
  }
}

}  // namespace engine

/// The value of `expr` with its leaves bound: `tl::value(y, x = 2.0)` or `tl::value(y, tl::bind(...))`.
template <expression E, class... B>
[[nodiscard]] constexpr auto value(const E& expr, const B&... data) {
  const auto b = detail::as_bindings(data...);
  using T = typename E::value_type;
  if constexpr (engine::tensor::is_tensor_graph_v<E>) {
    // Evaluates through a one-off compiled step and returns an owning copy.
    constexpr std::size_t rank = E::shape_type::rank;
    using R = std::conditional_t<rank == 0, T, xt::xtensor<T, rank>>;
    if constexpr (!engine::detail::check_names<E>()) {
      return R{};
    } else if constexpr (engine::detail::check_bindings<engine::detail::entry::value, E, std::remove_cvref_t<decltype(b)>>()) {
      compiled_tensor<E> step(expr);
      return R(step(b).value());
    } else {
      return R{};
    }
  } else if constexpr (!engine::detail::check_names<E>()) {
    return T{};
  } else if constexpr (engine::detail::check_bindings<engine::detail::entry::value, E, std::remove_cvref_t<decltype(b)>>()) {
    engine::workspace_for<E> w;
    engine::forward(expr, b, w);
    return w.value[graph::node_count_v<E> - 1];
  } else {
    return T{};
  }
}

/// The gradient of a scalar expression with respect to some of its parameters, as a function
/// of the bindings: `tl::grad(y, w).at(x = 1.0, w = 2.0)`.
template <class E, class... Wrt>
struct gradient_function {
  E expr;

  template <class... B>
  [[nodiscard]] constexpr auto at(const B&... data) const {
    return evaluate<false>(detail::as_bindings(data...));
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }

  /// The entry point that reports mistakes: tl::grad, or tl::value_and_grad with the value.
  template <bool WithValue>
  static constexpr engine::detail::entry api = WithValue ? engine::detail::entry::value_and_grad : engine::detail::entry::grad;

  template <bool WithValue, class Bindings>
  constexpr auto evaluate(const Bindings& b) const {
    using T = typename E::value_type;
    if constexpr (engine::tensor::is_tensor_graph_v<E>) {
      return evaluate_tensor<WithValue>(b);
    } else if constexpr (!engine::detail::check_differentiable<api<WithValue>, E, Wrt...>()) {
      // grad() has reported the mistake; a result of the usual type keeps the caller quiet.
      using G = std::conditional_t<sizeof...(Wrt) <= 1, T, gradients<T, Wrt...>>;
      return std::conditional_t<WithValue, value_and_gradient<T, G>, G>{};
    } else {
      using G = decltype(engine::collect_gradients<E, Wrt...>(std::declval<const engine::workspace_for<E>&>()));
      using R = std::conditional_t<WithValue, value_and_gradient<T, G>, G>;
      if constexpr (engine::detail::check_bindings<api<WithValue>, E, Bindings>()) {
        engine::workspace_for<E> w;
        engine::forward(expr, b, w);
        engine::backward<E, Wrt...>(w);
        if constexpr (WithValue) return R{w.value[graph::node_count_v<E> - 1], engine::collect_gradients<E, Wrt...>(w)};
        else return engine::collect_gradients<E, Wrt...>(w);
      } else {
        return R{};
      }
    }
  }

  // Tensor graphs: a one-off compiled step; gradients come back as owning xtensor containers
  // (a number for a scalar leaf), several as tensor_gradients.
  template <bool WithValue, class Bindings>
  auto evaluate_tensor(const Bindings& b) const {
    using T = typename E::value_type;
    using first = std::tuple_element_t<0, std::tuple<Wrt...>>;
    using G = std::conditional_t<sizeof...(Wrt) == 1, owned_tensor_t<T, first>, tensor_gradients<T, Wrt...>>;
    using R = std::conditional_t<WithValue, value_and_gradient<T, G>, G>;
    if constexpr (!engine::detail::check_differentiable<api<WithValue>, E, Wrt...>()) {
      return R{};  // reported once; no second message about the bindings
    } else if constexpr (engine::detail::check_bindings<api<WithValue>, E, Bindings>()) {
      compiled_tensor<E, Wrt...> step(expr);
      const auto r = step(b);
      G g = [&] {
        if constexpr (sizeof...(Wrt) == 1) return owned_tensor_t<T, first>(r.grad(first{}));
        else return G{{owned_tensor_t<T, Wrt>(r.grad(Wrt{}))...}};
      }();
      if constexpr (WithValue) return R{r.value(), std::move(g)};
      else return g;
    } else {
      return R{};
    }
  }
};

/// Like gradient_function, returning the value with the gradient.
template <class E, class... Wrt>
struct value_and_gradient_function : gradient_function<E, Wrt...> {
  template <class... B>
  [[nodiscard]] constexpr auto at(const B&... data) const {
    return this->template evaluate<true>(detail::as_bindings(data...));
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }
};

/// d expr / d wrt... as a function of the bindings. `expr` must be a scalar; each wrt a param.
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto grad(const E& expr, const Wrt&...) {
  engine::detail::check_differentiable<engine::detail::entry::grad, E, Wrt...>();
  return gradient_function<E, Wrt...>{expr};
}

/// The value and d expr / d wrt... as a function of the bindings.
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto value_and_grad(const E& expr, const Wrt&...) {
  engine::detail::check_differentiable<engine::detail::entry::value_and_grad, E, Wrt...>();
  return value_and_gradient_function<E, Wrt...>{{expr}};
}

}  // namespace tapeless
