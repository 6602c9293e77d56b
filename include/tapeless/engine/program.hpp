#pragma once
// The forward and backward passes of a graph as a program: a list of small step types, one per
// node, each keyed only by its op and node ids (never by the whole expression type), emitted
// from the compile-time graph.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../graph/analysis.hpp"
#include "../graph/node_type.hpp"

namespace tapeless::engine {

template <class... Steps>
struct program {};

struct no_step {};

/// value[Out] = the data bound to Leaf.
template <class Leaf, std::size_t Out>
struct load_leaf {};
/// value[Out] = Literal::value.
template <class Literal, std::size_t Out>
struct load_literal {};
/// value[Out] = the constant found at Path (operand slots from the root).
template <std::size_t Out, class Path>
struct load_constant {};
/// value[Out] = Op::forward(value[In]...).
template <class Op, std::size_t Out, std::size_t... In>
struct apply_op {};
/// adjoint[In_k] (+)= Op::vjp<k>(adjoint[Out], value[Out], value[In]...), for the operands
/// whose bit is set in Needed; bit k of First says the contribution is the first (assign).
template <class Op, std::size_t Out, unsigned Needed, unsigned First, std::size_t... In>
struct apply_vjp {};

namespace detail {

template <class Root, std::size_t I, class Indices>
struct op_step;
template <class Root, std::size_t I, std::size_t... K>
struct op_step<Root, I, std::index_sequence<K...>> {
  using type = apply_op<typename graph::node_type_t<Root, I>::op, I, graph::graph_v<Root>.nodes[I].operands[K]...>;
};

template <class Root, std::size_t I>
constexpr auto forward_step() {
  using E = graph::node_type_t<Root, I>;
  if constexpr (is_leaf_v<E>) return load_leaf<E, I>{};
  else if constexpr (is_literal_v<E>) return load_literal<E, I>{};
  else if constexpr (is_constant_v<E>) return load_constant<I, typename graph::path_to<Root, I>::type>{};
  else return typename op_step<Root, I, std::make_index_sequence<E::arity>>::type{};
}

template <class Root, class Indices>
struct forward_program;
template <class Root, std::size_t... I>
struct forward_program<Root, std::index_sequence<I...>> {
  using type = program<decltype(forward_step<Root, I>())...>;
};

template <class Root, auto& Plan, std::size_t I, class Indices>
struct vjp_step;
template <class Root, auto& Plan, std::size_t I, std::size_t... K>
struct vjp_step<Root, Plan, I, std::index_sequence<K...>> {
  static constexpr auto& record = graph::graph_v<Root>.nodes[I];
  static constexpr unsigned needed = ((Plan.needed[record.operands[K]] ? 1u << K : 0u) | ... | 0u);
  static constexpr unsigned first = ((Plan.first[I][K] ? 1u << K : 0u) | ... | 0u);
  using type = std::conditional_t<Plan.needed[I] && needed != 0,
                                  apply_vjp<typename graph::node_type_t<Root, I>::op, I, needed, first, record.operands[K]...>,
                                  no_step>;
};

template <class Root, auto& Plan, std::size_t I>
constexpr auto backward_step() {
  if constexpr (graph::graph_v<Root>.nodes[I].descriptor->kind != node_kind::op) return no_step{};
  else return typename vjp_step<Root, Plan, I, std::make_index_sequence<graph::graph_v<Root>.nodes[I].arity>>::type{};
}

template <class Root, auto& Plan, class Indices>
struct backward_program;
template <class Root, auto& Plan, std::size_t... I>
struct backward_program<Root, Plan, std::index_sequence<I...>> {
  static constexpr std::size_t last = sizeof...(I) - 1;
  using type = program<decltype(backward_step<Root, Plan, last - I>())...>;
};

template <class Root>
struct constant_ids {
  static constexpr std::size_t count = graph::graph_v<Root>.count(node_kind::constant);
  static constexpr std::array<std::size_t, count> ids = [] {
    std::array<std::size_t, count> out{};
    std::size_t j = 0;
    for (std::size_t i = 0; i < graph::node_count_v<Root>; ++i)
      if (graph::graph_v<Root>.nodes[i].descriptor->kind == node_kind::constant) out[j++] = i;
    return out;
  }();
};

template <class Root, class Indices>
struct constant_program;
template <class Root, std::size_t... J>
struct constant_program<Root, std::index_sequence<J...>> {
  using type = program<load_constant<constant_ids<Root>::ids[J],
                                     typename graph::path_to<Root, constant_ids<Root>::ids[J]>::type>...>;
};

}  // namespace detail

/// The constants of Root and where they sit in the expression object.
template <class Root>
using constant_program_t =
    typename detail::constant_program<Root, std::make_index_sequence<detail::constant_ids<Root>::count>>::type;

/// The forward pass of Root: one step per unique node, in topological order.
template <class Root>
using forward_program_t =
    typename detail::forward_program<Root, std::make_index_sequence<graph::node_count_v<Root>>>::type;

/// The ids of the wrt leaves in the graph of Root (npos where a leaf is absent).
template <class Root, class... Wrt>
inline constexpr std::array<std::size_t, sizeof...(Wrt)> wrt_ids_v{
    graph::graph_v<Root>.find(graph::descriptor_v<Wrt>)...};

template <class Root, class... Wrt>
inline constexpr auto adjoint_plan_v = graph::plan_adjoints(graph::graph_v<Root>, wrt_ids_v<Root, Wrt...>);

/// The reverse pass of Root for gradients with respect to Wrt: steps in reverse topological
/// order, only where an adjoint is needed.
template <class Root, class... Wrt>
using backward_program_t =
    typename detail::backward_program<Root, adjoint_plan_v<Root, Wrt...>,
                                      std::make_index_sequence<graph::node_count_v<Root>>>::type;

}  // namespace tapeless::engine
