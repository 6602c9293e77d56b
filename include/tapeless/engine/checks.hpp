#pragma once
// Checks made once at each public entry point, each reported by one static_assert that names
// the entry point the user called and whose instantiation context names the offending leaf.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../graph/analysis.hpp"
#include "../graph/node_type.hpp"
#include "../ops/elementwise.hpp"
#include "../core/diagnostics.hpp"
#include "../core/fixed_string.hpp"
#include "bindings.hpp"

namespace tapeless::engine::detail {

template <class Root>
struct leaf_ids {
  static constexpr std::size_t count =
      graph::graph_v<Root>.count(node_kind::input) + graph::graph_v<Root>.count(node_kind::param);
  static constexpr std::array<std::size_t, count> ids = [] {
    std::array<std::size_t, count> out{};
    std::size_t j = 0;
    for (std::size_t i = 0; i < graph::node_count_v<Root>; ++i) {
      const node_kind k = graph::graph_v<Root>.nodes[i].descriptor->kind;
      if (k == node_kind::input || k == node_kind::param) out[j++] = i;
    }
    return out;
  }();
};

template <class Bindings, class... Leaves>
struct first_unbound {
  using type = void;
};
template <class Bindings, class L, class... Leaves>
struct first_unbound<Bindings, L, Leaves...> {
  using type = std::conditional_t<Bindings::template binds<L>, typename first_unbound<Bindings, Leaves...>::type, L>;
};

template <class Root, class Bindings, class Indices>
struct unbound_leaf;
template <class Root, class Bindings, std::size_t... J>
struct unbound_leaf<Root, Bindings, std::index_sequence<J...>> {
  using type = typename first_unbound<Bindings, graph::node_type_t<Root, leaf_ids<Root>::ids[J]>...>::type;
};

/// The first leaf of Root that Bindings leaves unbound, or void.
template <class Root, class Bindings>
using unbound_leaf_t =
    typename unbound_leaf<Root, Bindings, std::make_index_sequence<leaf_ids<Root>::count>>::type;

template <class>
inline constexpr bool always_false = false;

/// The public entry point a check is made for: each reports mistakes by its own name.
enum class entry { value, grad, value_and_grad, derivative, compile, jvp, hvp, jacobian, hessian };

// A static_assert's message must be a string literal, so the entry point's name is spliced into
// it here, once for every entry point: TAPELESS_REPORT(Api, cond, "rest of the message").
#define TAPELESS_REPORT(Api, cond, rest)                                                          \
  if constexpr (Api == entry::value) static_assert(cond, "tapeless::value: " rest);              \
  else if constexpr (Api == entry::grad) static_assert(cond, "tapeless::grad: " rest);           \
  else if constexpr (Api == entry::value_and_grad)                                                \
    static_assert(cond, "tapeless::value_and_grad: " rest);                                       \
  else if constexpr (Api == entry::derivative) static_assert(cond, "tapeless::derivative: " rest); \
  else if constexpr (Api == entry::compile) static_assert(cond, "tapeless::compile: " rest);     \
  else if constexpr (Api == entry::jvp) static_assert(cond, "tapeless::jvp: " rest);             \
  else if constexpr (Api == entry::hvp) static_assert(cond, "tapeless::hvp: " rest);             \
  else if constexpr (Api == entry::jacobian) static_assert(cond, "tapeless::jacobian: " rest);   \
  else static_assert(cond, "tapeless::hessian: " rest)

// One report per mistake. The leaf's name is the argument of the failed requirement,
// diagnostics::leaf_is_bound<"x">: clang prints it on the error line, GCC in the note under it
// and in the "In instantiation of" line above it.
template <entry Api, fixed_string Name>
constexpr void report_unbound_leaf() {
  TAPELESS_REPORT(Api, diagnostics::leaf_is_bound<Name>,
                  "a leaf of the expression has no binding (its name is in leaf_is_bound<name>); pass "
                  "`leaf = data` for every leaf");
}

/// A call of a step that is about to be destroyed: its result would read a freed workspace.
template <entry Api, class... A>
constexpr void report_temporary_step() {
  TAPELESS_REPORT(Api, diagnostics::always_false<A...>,
                  "call a named step (auto step = ...; step(...)); the result reads the step's workspace, "
                  "which a temporary step takes with it");
}

template <class Root>
constexpr bool check_names() {
  constexpr bool unique = !graph::graph_v<Root>.name_conflict;
  // Leaves of one name and two dtypes meet in some op, which has reported them already.
  if constexpr (!::tapeless::detail::contains_rejected_v<Root>)
    static_assert(unique,
                  "tapeless: two different leaves of the expression share one name (they differ in "
                  "kind, dtype or shape); give each leaf its own name");
  return unique;
}

template <entry Api, class Root, class Bindings>
constexpr bool check_bindings() {
  if constexpr (!Bindings::well_formed) {
    return false;  // tl::bind has reported the argument that is not a binding
  } else {
    using missing = unbound_leaf_t<Root, Bindings>;
    if constexpr (!std::is_void_v<missing>) {
      report_unbound_leaf<Api, missing::name>();
      return false;
    } else {
      return true;
    }
  }
}

// The mistakes in what a gradient is taken with respect to, worded once per entry point.
template <entry Api, class Leaf>
constexpr void report_wrt_not_a_leaf() {
  if constexpr (Api == entry::derivative || Api == entry::jvp || Api == entry::jacobian)
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "derivatives are taken with respect to leaves; pass a tl::param, not an expression or a "
                    "number");
  else if constexpr (Api == entry::compile)
    static_assert(always_false<Leaf>,
                  "tapeless::compile: gradients are taken with respect to leaves; list tl::param leaves in "
                  "tl::wrt(...), not expressions or numbers");
  else
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "gradients are taken with respect to leaves; pass a tl::param, not an expression or a "
                    "number");
}

template <entry Api, class Leaf>
constexpr void report_wrt_input() {
  if constexpr (Api == entry::derivative || Api == entry::jvp || Api == entry::jacobian)
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "this leaf is an input, which has no derivative; declare it with tl::param to "
                    "differentiate with respect to it");
  else
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "this leaf is an input, which has no gradient; declare it with tl::param to "
                    "differentiate with respect to it");
}

template <entry Api, class Leaf>
constexpr void report_wrt_not_in_expression() {
  if constexpr (Api == entry::derivative || Api == entry::jvp || Api == entry::jacobian)
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "this leaf is not part of the expression, so its derivative is not defined; "
                    "differentiate only with respect to leaves the expression uses");
  else if constexpr (Api == entry::compile)
    static_assert(always_false<Leaf>,
                  "tapeless::compile: this leaf is not part of the expression, so its gradient is "
                  "not defined; list in tl::wrt(...) only leaves the expression uses");
  else
    TAPELESS_REPORT(Api, always_false<Leaf>,
                    "this leaf is not part of the expression, so its gradient is not defined; "
                    "differentiate only with respect to leaves the expression uses");
}

template <entry Api, class Leaf, class Root>
constexpr bool check_wrt_leaf() {
  if constexpr (!is_leaf_v<Leaf>) {
    report_wrt_not_a_leaf<Api, Leaf>();
    return false;
  } else if constexpr (Leaf::kind != node_kind::param) {
    report_wrt_input<Api, Leaf>();
    return false;
  } else if constexpr (graph::graph_v<Root>.find(graph::descriptor_v<Leaf>) == graph::npos) {
    report_wrt_not_in_expression<Api, Leaf>();
    return false;
  } else {
    return true;
  }
}

template <entry Api, class Root, class... Wrt>
constexpr bool check_wrt() {
  if constexpr (sizeof...(Wrt) == 0) {
    if constexpr (Api == entry::compile)
      static_assert(sizeof...(Wrt) > 0, "tapeless::compile: list at least one leaf in tl::wrt(...)");
    else
      TAPELESS_REPORT(Api, sizeof...(Wrt) > 0, "name at least one leaf to differentiate with respect to");
    return false;
  } else {
    return (check_wrt_leaf<Api, Wrt, Root>() && ...);
  }
}

/// compile(): names and wrt leaves; a non-scalar output is allowed (it takes a seed per step).
template <class E, class... Wrt>
constexpr bool check_compilable() {
  return check_names<E>() && check_wrt<entry::compile, E, Wrt...>();
}

template <entry Api, class E>
constexpr bool check_scalar() {
  constexpr bool scalar = E::shape_type::rank == 0;
  if constexpr (Api == entry::derivative)
    static_assert(scalar, "tapeless::derivative: the expression is not a scalar; reduce it first (tl::sum), or "
                          "use tl::jacobian");
  else if constexpr (Api == entry::compile)
    static_assert(scalar, "tapeless::compile: the expression is not a scalar; pass a seed gradient");
  else if constexpr (Api == entry::hvp || Api == entry::hessian)
    TAPELESS_REPORT(Api, scalar,
                    "the expression is not a scalar; second derivatives are taken of a scalar (a loss): "
                    "reduce it first (tl::sum), or use tl::jacobian");
  else
    TAPELESS_REPORT(Api, scalar,
                    "the expression is not a scalar; reduce it first (tl::sum) or compile it and pass a seed "
                    "gradient");
  return scalar;
}

/// grad(), value_and_grad(), derivative(), compile() of a scalar graph: a scalar expression,
/// unique names, param leaves of the expression.
template <entry Api, class E, class... Wrt>
constexpr bool check_differentiable() {
  return check_scalar<Api, E>() && check_names<E>() && check_wrt<Api, E, Wrt...>();
}

}  // namespace tapeless::engine::detail

#undef TAPELESS_REPORT
