#pragma once
// Checks made once at each public entry point, each reported by one static_assert whose
// instantiation context names the offending leaf.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../graph/analysis.hpp"
#include "../graph/node_type.hpp"
#include "../ops/elementwise.hpp"
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

// One report per mistake. The leaf appears in the "required from" line of the diagnostic.
enum class entry { value, grad, compile };

template <entry Api, class Leaf>
constexpr void report_unbound_leaf() {
  if constexpr (Api == entry::value)
    static_assert(always_false<Leaf>,
                  "tapeless::value: a leaf of the expression has no binding (it is named in the "
                  "instantiation below); pass `leaf = data` for every leaf");
  else if constexpr (Api == entry::grad)
    static_assert(always_false<Leaf>,
                  "tapeless::grad: a leaf of the expression has no binding (it is named in the "
                  "instantiation below); pass `leaf = data` for every leaf");
  else
    static_assert(always_false<Leaf>,
                  "tapeless::compile: a leaf of the expression has no binding (it is named in the "
                  "instantiation below); pass `leaf = data` for every leaf");
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
      report_unbound_leaf<Api, missing>();
      return false;
    } else {
      return true;
    }
  }
}

template <class Leaf, class Root>
constexpr bool check_wrt_leaf() {
  if constexpr (!is_leaf_v<Leaf>) {
    static_assert(is_leaf_v<Leaf>,
                  "tapeless::grad: gradients are taken with respect to leaves; pass a tl::param, "
                  "not an expression or a number");
    return false;
  } else if constexpr (Leaf::kind != node_kind::param) {
    static_assert(Leaf::kind == node_kind::param,
                  "tapeless::grad: this leaf is an input, which has no gradient; declare it with "
                  "tl::param to differentiate with respect to it");
    return false;
  } else if constexpr (graph::graph_v<Root>.find(graph::descriptor_v<Leaf>) == graph::npos) {
    static_assert(always_false<Leaf>,
                  "tapeless::grad: this leaf is not part of the expression, so its gradient is "
                  "not defined; differentiate only with respect to leaves the expression uses");
    return false;
  } else {
    return true;
  }
}

template <class Root, class... Wrt>
constexpr bool check_wrt() {
  static_assert(sizeof...(Wrt) > 0, "tapeless::grad: name at least one leaf to differentiate with respect to");
  return (check_wrt_leaf<Wrt, Root>() && ...) && sizeof...(Wrt) > 0;
}

/// compile(): names and wrt leaves; a non-scalar output is allowed (it takes a seed per step).
template <class E, class... Wrt>
constexpr bool check_compilable() {
  return check_names<E>() && check_wrt<E, Wrt...>();
}

template <class E, class... Wrt>
constexpr bool check_differentiable() {
  static_assert(E::shape_type::rank == 0,
                "tapeless::grad: the expression is not a scalar; reduce it first (tl::sum) or pass "
                "a seed gradient");
  return check_names<E>() && check_wrt<E, Wrt...>() && E::shape_type::rank == 0;
}

}  // namespace tapeless::engine::detail
