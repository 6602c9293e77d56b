#pragma once
// Second derivatives of scalar graphs, forward over reverse: the forward and reverse programs
// run on dual numbers whose derivative part follows a direction v, so one pass gives the value,
// the gradient and the Hessian-vector product H v; no tape, and in constant expressions too.
//   tl::hvp(f, tl::wrt(a, b), va, vb).at(bindings...)  -> .value, .grad[k], .hvp[k]
//   tl::hessian(f, tl::wrt(a, b)).at(bindings...)     -> H[i][j] (one H v per column)
//   tl::hessian(f, x).at(x = 2.0)                      -> d²f/dx²
#include <array>
#include <cstddef>
#include <type_traits>

#include "../core/expression.hpp"
#include "../detail/dual.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "compile.hpp"
#include "differentiate.hpp"
#include "program.hpp"
#include "scalar_executor.hpp"

namespace tapeless {

/// The value, gradient and Hessian-vector product of a scalar graph with respect to N leaves.
template <class T, std::size_t N>
struct hvp_result {
  T value{};
  std::array<T, N> grad{};
  std::array<T, N> hvp{};
};

namespace engine::detail {

/// Bindings whose scalar leaves carry a direction: leaf Wrt_k's value gets derivative v[k].
template <class Bindings, class T, class... Wrt>
struct directed_bindings {
  const Bindings& base;
  std::array<T, sizeof...(Wrt)> direction;

  template <class Leaf>
  constexpr tapeless::detail::dual<T> get() const {
    constexpr std::size_t k = [] {
      constexpr bool match[] = {std::is_same_v<Leaf, Wrt>..., false};
      std::size_t i = 0;
      while (i < sizeof...(Wrt) && !match[i]) ++i;
      return i;
    }();
    const T value = static_cast<T>(base.template get<Leaf>());
    if constexpr (k < sizeof...(Wrt)) return {value, direction[k]};
    else return {value, T(0)};
  }
};

/// One forward-over-reverse pass of E along `direction`.
template <class E, class... Wrt, class Bindings>
constexpr auto directional_second_order(const E& expr, const Bindings& b,
                                        const std::array<typename E::value_type, sizeof...(Wrt)>& direction) {
  using T = typename E::value_type;
  using D = tapeless::detail::dual<T>;
  constexpr std::size_t n = graph::node_count_v<E>;
  scalar_workspace<D, n> w;
  load_constants(expr, constant_program_t<E>{}, w);
  run_forward(forward_program_t<E>{}, w, directed_bindings<Bindings, T, Wrt...>{b, direction});
  w.adjoint[n - 1] = D(T(1), T(0));
  run_backward(backward_program_t<E, Wrt...>{}, w);
  constexpr auto& ids = wrt_ids_v<E, Wrt...>;
  hvp_result<T, sizeof...(Wrt)> r;
  r.value = w.value[n - 1].v;
  for (std::size_t k = 0; k < sizeof...(Wrt); ++k) {
    r.grad[k] = w.adjoint[ids[k]].v;
    r.hvp[k] = w.adjoint[ids[k]].d;
  }
  return r;
}

template <class E>
constexpr bool check_second_order() {
  static_assert(!tensor::is_tensor_graph_v<E>,
                "tapeless::hvp / tapeless::hessian: second derivatives are computed for scalar graphs "
                "(every node of rank 0); a tensor graph's gradient is tl::grad or tl::compile");
  return !tensor::is_tensor_graph_v<E>;
}

}  // namespace engine::detail

/// H v and the gradient of a scalar graph along a fixed direction v, as a function of the
/// bindings.
template <class E, class... Wrt>
struct hvp_function {
  E expr;
  std::array<typename E::value_type, sizeof...(Wrt)> direction;

  template <class... B>
  [[nodiscard]] constexpr hvp_result<typename E::value_type, sizeof...(Wrt)> at(const B&... data) const {
    const auto b = detail::as_bindings(data...);
    if constexpr (engine::detail::check_bindings<engine::detail::entry::grad, E, std::remove_cvref_t<decltype(b)>>())
      return engine::detail::directional_second_order<E, Wrt...>(expr, b, direction);
    else
      return {};
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }
};

/// The Hessian of a scalar graph with respect to N leaves, as a function of the bindings: one
/// forward-over-reverse pass per column.
template <class E, class... Wrt>
struct hessian_function {
  E expr;
  static constexpr std::size_t n = sizeof...(Wrt);
  using T = typename E::value_type;

  template <class... B>
  [[nodiscard]] constexpr auto at(const B&... data) const {
    const auto b = detail::as_bindings(data...);
    std::array<std::array<T, n>, n> h{};
    if constexpr (engine::detail::check_bindings<engine::detail::entry::grad, E, std::remove_cvref_t<decltype(b)>>()) {
      for (std::size_t j = 0; j < n; ++j) {
        std::array<T, n> unit{};
        unit[j] = T(1);
        const auto r = engine::detail::directional_second_order<E, Wrt...>(expr, b, unit);
        for (std::size_t i = 0; i < n; ++i) h[i][j] = r.hvp[i];
      }
    }
    return h;
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }
};

/// d²/dx² of a scalar graph with respect to one leaf.
template <class E, class Leaf>
struct second_derivative_function : hessian_function<E, Leaf> {
  template <class... B>
  [[nodiscard]] constexpr typename E::value_type at(const B&... data) const {
    return hessian_function<E, Leaf>::at(data...)[0][0];
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }
};

/// The Hessian-vector product of scalar `expr` with respect to Wrt... along (v...), one number
/// per leaf: `tl::hvp(f, tl::wrt(a, b), 1.0, 0.0).at(a = 2.0, b = 3.0)`.
template <expression E, class... Wrt, class... V>
  requires(sizeof...(V) == sizeof...(Wrt) && (std::is_arithmetic_v<V> && ...))
[[nodiscard]] constexpr auto hvp(const E& expr, wrt_list<Wrt...>, const V&... v) {
  engine::detail::check_second_order<E>();
  engine::detail::check_differentiable<engine::detail::entry::grad, E, Wrt...>();
  return hvp_function<E, Wrt...>{expr, {static_cast<typename E::value_type>(v)...}};
}

/// The Hessian of scalar `expr` with respect to Wrt...: `H[i][j] = d²f / dw_i dw_j`.
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto hessian(const E& expr, wrt_list<Wrt...>) {
  engine::detail::check_second_order<E>();
  engine::detail::check_differentiable<engine::detail::entry::grad, E, Wrt...>();
  return hessian_function<E, Wrt...>{expr};
}

/// d²expr/dx² for one leaf x: `static_assert(tl::hessian(x * x * x, x).at(x = 2.0) == 12.0)`.
template <expression E, expression Leaf>
  requires is_leaf_v<Leaf>
[[nodiscard]] constexpr auto hessian(const E& expr, const Leaf&) {
  engine::detail::check_second_order<E>();
  engine::detail::check_differentiable<engine::detail::entry::grad, E, Leaf>();
  return second_derivative_function<E, Leaf>{{expr}};
}

namespace detail {
/// What a rejected call returns, so that the one message stays the only one.
struct rejected_call {
  template <class... B>
  constexpr double at(const B&...) const {
    return 0;
  }
  template <class... B>
  constexpr double operator()(const B&...) const {
    return 0;
  }
};
}  // namespace detail

/// tl::grad of something that is not an expression (a gradient: tl::grad(tl::grad(f, x), x)).
template <class G, class... Wrt>
  requires(!expression<G>)
constexpr detail::rejected_call grad(const G&, const Wrt&...) {
  static_assert(engine::detail::always_false<G>,
                "tapeless::grad: the first argument must be an expression, and a gradient is not one; for "
                "second derivatives use tl::hessian(f, x), tl::hessian(f, tl::wrt(a, b)) or tl::hvp(f, "
                "tl::wrt(a, b), va, vb)");
  return {};
}

}  // namespace tapeless
