#pragma once
// The public entry points: value, grad, value_and_grad. Each is a one-off step (tl::step over
// the graph's policy) on the stack: check the bindings in the entry point's name, then run. Scalar
// graphs evaluate in constant expressions.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/expression.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "policies.hpp"
#include "result.hpp"
#include <xtensor/xtensor.hpp>

namespace tapeless {

namespace detail {

/// What a value computation returns: a number, or an owning xtensor of the expression's shape.
template <class E>
using owned_value_t = std::conditional_t<E::shape_type::rank == 0, typename E::value_type,
                                         xt::xtensor<typename E::value_type, E::shape_type::rank>>;

/// What a gradient computation returns: a number or an owning xtensor for one leaf, gradients
/// (numbers) or tensor_gradients (owning) for several.
template <class E, class... Wrt>
struct owned_gradients {
  using T = typename E::value_type;
  using type = std::conditional_t<engine::tensor::is_tensor_graph_v<E>, tensor_gradients<T, Wrt...>, gradients<T, Wrt...>>;
};
template <class E, class Leaf>
struct owned_gradients<E, Leaf> {
  using type = typename E::value_type;  // not a leaf: the call has been rejected
};
template <class E, class Leaf>
  requires requires { Leaf::shape_type::rank; }
struct owned_gradients<E, Leaf> {
  using type = owned_tensor_t<typename E::value_type, Leaf>;
};

/// The gradients of a step's result, owned.
template <class T, class G, class... Wrt, class R>
constexpr G own_gradients(const R& r) {
  if constexpr (sizeof...(Wrt) == 1) return G(r.grad(Wrt{}...));
  else return G{{owned_tensor_t<T, Wrt>(r.grad(Wrt{}))...}};
}

}  // namespace detail

/// The value of `expr` with its leaves bound: `tl::value(y, x = 2.0)` or `tl::value(y, tl::bind(...))`.
/// Scalar graphs evaluate in constant expressions; a tensor graph returns an owning copy.
template <expression E, class... B>
[[nodiscard]] constexpr auto value(const E& expr, const B&... data) {
  using R = detail::owned_value_t<E>;
  if constexpr (!engine::detail::check_names<E>()) {
    return R{};
  } else {
    step_for<E> s(expr);
    if (s.template run<engine::detail::entry::value>(detail::as_bindings(data...))) return R(s.last().value());
    return R{};
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
    using G = typename detail::owned_gradients<E, Wrt...>::type;
    using R = std::conditional_t<WithValue, value_and_gradient<T, G>, G>;
    if constexpr (!engine::detail::check_differentiable<api<WithValue>, E, Wrt...>()) {
      return R{};  // reported once; no second message about the bindings
    } else {
      step_for<E, Wrt...> s(expr);
      if (!s.template run<api<WithValue>>(b)) return R{};
      const auto r = s.last();
      if constexpr (WithValue) return R{r.value(), detail::own_gradients<T, G, Wrt...>(r)};
      else return detail::own_gradients<T, G, Wrt...>(r);
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
