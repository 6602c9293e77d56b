#pragma once
// Forward mode and second derivatives. On scalar graphs the forward and reverse programs run
// on dual numbers whose derivative part follows a direction v, so one pass gives the value, the
// gradient and the Hessian-vector product H v; no tape, and in constant expressions too.
//   tl::jvp(f, tl::wrt(a, b), va, vb).at(bindings...)  -> .value, .tangent
//   tl::hvp(f, tl::wrt(a, b), va, vb).at(bindings...)  -> .value, .grad[k], .hvp[k]
//   tl::hessian(f, tl::wrt(a, b)).at(bindings...)     -> H[i][j] (one H v per column)
//   tl::hessian(f, x).at(x = 2.0)                      -> d²f/dx²
// Tensor graphs run the tensor plan on dual numbers (forward_mode.hpp): the same calls, with
// directions as containers, or a step taking tl::along(v...) with each call's bindings.
#include <array>
#include <cstddef>
#include <type_traits>

#include "../core/expression.hpp"
#include "../detail/dual.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "compile.hpp"
#include "differentiate.hpp"
#include "forward_mode.hpp"
#include "program.hpp"
#include "scalar_executor.hpp"

namespace tapeless {

/// The value, gradient and Hessian-vector product of a scalar graph with respect to N leaves.
/// The value of a scalar graph and its derivative along a direction.
template <class T>
struct jvp_result {
  T value{};
  T tangent{};
};

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

// The passes below take the leaves as a wrt_list argument so that every template argument is
// deduced. Naming E explicitly while Bindings is deduced (f<E, Wrt...>(expr, b, ...)) makes GCC's
// deduction walk the parameter type const E& as a tree, once per occurrence of each shared
// subexpression: exponential in the depth of a graph with sharing (benchmarks/gen_deep.py's
// 70-node graph took 25 s to compile for this one call, now 3 s).

/// One forward-over-reverse pass of E along `direction`.
template <class E, class... Wrt, class Bindings>
constexpr auto directional_second_order(const E& expr, wrt_list<Wrt...>, const Bindings& b,
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

/// The value and J v of a scalar graph along `direction`: one forward pass on dual numbers.
template <class E, class... Wrt, class Bindings>
constexpr auto directional_first_order(const E& expr, wrt_list<Wrt...>, const Bindings& b,
                                       const std::array<typename E::value_type, sizeof...(Wrt)>& direction) {
  using T = typename E::value_type;
  using D = tapeless::detail::dual<T>;
  constexpr std::size_t n = graph::node_count_v<E>;
  scalar_workspace<D, n> w;
  load_constants(expr, constant_program_t<E>{}, w);
  run_forward(forward_program_t<E>{}, w, directed_bindings<Bindings, T, Wrt...>{b, direction});
  return jvp_result<T>{w.value[n - 1].v, w.value[n - 1].d};
}

/// Directions held by a step: containers that outlive it (not temporaries) or numbers.
template <class... V>
constexpr bool check_held_directions() {
  constexpr bool ok = ((std::is_lvalue_reference_v<V> || std::is_arithmetic_v<std::remove_cvref_t<V>>) && ...);
  static_assert(ok, "tapeless::jvp / tapeless::hvp: a direction given up front is held by reference, and this "
                    "one is a temporary; name it first, or pass it per call: step(bindings..., tl::along(v...))");
  return ok;
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
    if constexpr (engine::detail::check_bindings<engine::detail::entry::hvp, E, std::remove_cvref_t<decltype(b)>>())
      return engine::detail::directional_second_order(expr, wrt_list<Wrt...>{}, b, direction);
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
    if constexpr (engine::detail::check_bindings<engine::detail::entry::hessian, E, std::remove_cvref_t<decltype(b)>>()) {
      for (std::size_t j = 0; j < n; ++j) {
        std::array<T, n> unit{};
        unit[j] = T(1);
        const auto r = engine::detail::directional_second_order(expr, wrt_list<Wrt...>{}, b, unit);
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

/// J v of a scalar graph along a fixed direction, as a function of the bindings.
template <class E, class... Wrt>
struct jvp_function {
  E expr;
  std::array<typename E::value_type, sizeof...(Wrt)> direction;

  template <class... B>
  [[nodiscard]] constexpr jvp_result<typename E::value_type> at(const B&... data) const {
    const auto b = detail::as_bindings(data...);
    if constexpr (engine::detail::check_bindings<engine::detail::entry::jvp, E, std::remove_cvref_t<decltype(b)>>())
      return engine::detail::directional_first_order(expr, wrt_list<Wrt...>{}, b, direction);
    else
      return {};
  }
  template <class... B>
  [[nodiscard]] constexpr auto operator()(const B&... data) const {
    return at(data...);
  }
};

/// The value and directional derivative J v of `expr` along (v...) for the leaves Wrt...: numbers
/// for a scalar graph (`tl::jvp(f, tl::wrt(a, b), 1.0, 0.0).at(a = 2.0, b = 3.0)`), containers for
/// a tensor graph (the step holds them by reference and is called with the bindings).
template <expression E, class... Wrt, class... V>
  requires(sizeof...(V) == sizeof...(Wrt) && sizeof...(V) > 0)
[[nodiscard]] constexpr auto jvp(const E& expr, wrt_list<Wrt...>, V&&... v) {
  if constexpr (engine::tensor::is_tensor_graph_v<E>) {
    engine::detail::check_names<E>();
    engine::detail::check_wrt<engine::detail::entry::jvp, E, Wrt...>();
    engine::detail::check_held_directions<V...>();
    return directed_step<jvp_step<E, Wrt...>, std::remove_cvref_t<V>...>{jvp_step<E, Wrt...>{expr}, v...};
  } else {
    static_assert((std::is_arithmetic_v<std::remove_cvref_t<V>> && ...),
                  "tapeless::jvp: the directions of a scalar graph's leaves are numbers");
    engine::detail::check_names<E>();
    engine::detail::check_wrt<engine::detail::entry::jvp, E, Wrt...>();
    return jvp_function<E, Wrt...>{expr, {static_cast<typename E::value_type>(v)...}};
  }
}

/// A J v step of a tensor graph, the directions passed with each call:
/// `auto step = tl::jvp(f, tl::wrt(w)); step(x = X, w = W, tl::along(v))`.
template <expression E, class... Wrt>
  requires(sizeof...(Wrt) > 0)
[[nodiscard]] auto jvp(const E& expr, wrt_list<Wrt...>) {
  static_assert(engine::tensor::is_tensor_graph_v<E>,
                "tapeless::jvp: a scalar graph takes its direction up front: tl::jvp(f, tl::wrt(a, b), va, vb)");
  engine::detail::check_names<E>();
  engine::detail::check_wrt<engine::detail::entry::jvp, E, Wrt...>();
  return jvp_step<E, Wrt...>{expr};
}

/// The Hessian-vector product of scalar `expr` with respect to Wrt... along (v...): numbers for
/// a scalar graph (`tl::hvp(f, tl::wrt(a, b), 1.0, 0.0).at(a = 2.0, b = 3.0)`), containers for a
/// tensor graph (held by reference; the step is called with the bindings).
template <expression E, class... Wrt, class... V>
  requires(sizeof...(V) == sizeof...(Wrt) && sizeof...(V) > 0)
[[nodiscard]] constexpr auto hvp(const E& expr, wrt_list<Wrt...>, V&&... v) {
  engine::detail::check_differentiable<engine::detail::entry::hvp, E, Wrt...>();
  if constexpr (engine::tensor::is_tensor_graph_v<E>) {
    engine::detail::check_held_directions<V...>();
    return directed_step<hvp_step<E, Wrt...>, std::remove_cvref_t<V>...>{hvp_step<E, Wrt...>{expr}, v...};
  } else {
    static_assert((std::is_arithmetic_v<std::remove_cvref_t<V>> && ...),
                  "tapeless::hvp: the directions of a scalar graph's leaves are numbers");
    return hvp_function<E, Wrt...>{expr, {static_cast<typename E::value_type>(v)...}};
  }
}

/// An H v step of a scalar tensor graph, the directions passed with each call:
/// `auto step = tl::hvp(loss, tl::wrt(w1, w2)); step(bindings..., tl::along(v1, v2))`.
template <expression E, class... Wrt>
  requires(sizeof...(Wrt) > 0)
[[nodiscard]] auto hvp(const E& expr, wrt_list<Wrt...>) {
  static_assert(engine::tensor::is_tensor_graph_v<E>,
                "tapeless::hvp: a scalar graph takes its direction up front: tl::hvp(f, tl::wrt(a, b), va, vb)");
  engine::detail::check_differentiable<engine::detail::entry::hvp, E, Wrt...>();
  return hvp_step<E, Wrt...>{expr};
}

/// The Hessian of scalar `expr` with respect to Wrt...: `H[i][j] = d²f / dw_i dw_j` (a tensor
/// graph: an xt::xtensor over the flattened leaves, in wrt order).
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto hessian(const E& expr, wrt_list<Wrt...>) {
  engine::detail::check_differentiable<engine::detail::entry::hessian, E, Wrt...>();
  if constexpr (engine::tensor::is_tensor_graph_v<E>) return tensor_hessian_function<E, Wrt...>{expr};
  else return hessian_function<E, Wrt...>{expr};
}

/// d²expr/dx² for one leaf x: `static_assert(tl::hessian(x * x * x, x).at(x = 2.0) == 12.0)`; for
/// a tensor leaf, a tensor of shape x.shape ++ x.shape.
template <expression E, expression Leaf>
  requires is_leaf_v<Leaf>
[[nodiscard]] constexpr auto hessian(const E& expr, const Leaf&) {
  engine::detail::check_differentiable<engine::detail::entry::hessian, E, Leaf>();
  if constexpr (engine::tensor::is_tensor_graph_v<E>) return tensor_leaf_hessian_function<E, Leaf>{expr};
  else return second_derivative_function<E, Leaf>{{expr}};
}

/// The Jacobian of `expr` with respect to leaf w, of shape expr.shape ++ w.shape.
template <expression E, expression Leaf>
  requires is_leaf_v<Leaf>
[[nodiscard]] auto jacobian(const E& expr, const Leaf&) {
  static_assert(engine::tensor::is_tensor_graph_v<E>,
                "tapeless::jacobian: the expression and the leaf are scalars; their Jacobian is "
                "tl::derivative(f, x)");
  engine::detail::check_names<E>();
  engine::detail::check_wrt<engine::detail::entry::jacobian, E, Leaf>();
  return jacobian_function<E, Leaf>{expr};
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
