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

// Per-node steps are class templates: a function template keyed by Root would be mangled (with
// the whole expression type in its name) once per node.
template <class Root, std::size_t I, class E = graph::node_type_t<Root, I>>
struct forward_step {
  using type = typename op_step<Root, I, std::make_index_sequence<E::arity>>::type;
};
template <class Root, std::size_t I, class E>
  requires is_leaf_v<E>
struct forward_step<Root, I, E> {
  using type = load_leaf<E, I>;
};
template <class Root, std::size_t I, class E>
  requires is_literal_v<E>
struct forward_step<Root, I, E> {
  using type = load_literal<E, I>;
};
template <class Root, std::size_t I, class E>
  requires is_constant_v<E>
struct forward_step<Root, I, E> {
  using type = load_constant<I, typename graph::path_to<Root, I>::type>;
};

template <class Root, class Indices>
struct forward_program;
template <class Root, std::size_t... I>
struct forward_program<Root, std::index_sequence<I...>> {
  using type = program<typename forward_step<Root, I>::type...>;
};

template <class Root, class Plan, std::size_t I, class Indices>
struct vjp_step;
template <std::size_t N>
constexpr unsigned needed_mask(const graph::graph_table<N>& g, const graph::adjoint_plan<N>& plan, std::size_t i) {
  unsigned m = 0;
  for (std::size_t k = 0; k < g.nodes[i].arity; ++k)
    if (plan.needed[g.nodes[i].operands[k]]) m |= 1u << k;
  return m;
}
template <std::size_t N>
constexpr unsigned first_mask(const graph::adjoint_plan<N>& plan, std::size_t i) {
  unsigned m = 0;
  for (std::size_t k = 0; k < graph::max_arity; ++k)
    if (plan.first[i][k]) m |= 1u << k;
  return m;
}
template <class Root, class Plan, std::size_t I, std::size_t... K>
struct vjp_step<Root, Plan, I, std::index_sequence<K...>> {
  using type = std::conditional_t<Plan::value.needed[I] && needed_mask(graph::graph_v<Root>, Plan::value, I) != 0,
                                  apply_vjp<typename graph::node_type_t<Root, I>::op, I,
                                            needed_mask(graph::graph_v<Root>, Plan::value, I), first_mask(Plan::value, I),
                                            graph::graph_v<Root>.nodes[I].operands[K]...>,
                                  no_step>;
};

template <class Root, class Plan, std::size_t I, bool IsOp = graph::graph_v<Root>.nodes[I].descriptor->kind == node_kind::op>
struct backward_step {
  using type = no_step;
};
template <class Root, class Plan, std::size_t I>
struct backward_step<Root, Plan, I, true> {
  using type = typename vjp_step<Root, Plan, I, std::make_index_sequence<graph::graph_v<Root>.nodes[I].arity>>::type;
};

template <class Root, class Plan, class Indices>
struct backward_program;
template <class Root, class Plan, std::size_t... I>
struct backward_program<Root, Plan, std::index_sequence<I...>> {
  static constexpr std::size_t last = sizeof...(I) - 1;
  using type = program<typename backward_step<Root, Plan, last - I>::type...>;
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

/// Which nodes need an adjoint for gradients of Root with respect to Wrt (a class, so that it
/// can be a template argument: clang 16 does not match a reference to a variable template's
/// specialisation in a partial specialisation).
template <class Root, class... Wrt>
struct adjoint_plan_of {
  static constexpr auto value = graph::plan_adjoints(graph::graph_v<Root>, wrt_ids_v<Root, Wrt...>);
};
template <class Root, class... Wrt>
inline constexpr const auto& adjoint_plan_v = adjoint_plan_of<Root, Wrt...>::value;

/// The reverse pass of Root for gradients with respect to Wrt: steps in reverse topological
/// order, only where an adjoint is needed.
template <class Root, class... Wrt>
using backward_program_t =
    typename detail::backward_program<Root, adjoint_plan_of<Root, Wrt...>,
                                      std::make_index_sequence<graph::node_count_v<Root>>>::type;

}  // namespace tapeless::engine
