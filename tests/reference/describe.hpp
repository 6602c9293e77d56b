#pragma once
// A tapeless expression as a run-time graph for the reference. Each node's kind, name and dtype
// come from its graph descriptor; constants come from the expression object itself. Identity
// is decided here, independently of the library's graph walk: nodes of the same type are one
// node unless they hold run-time data (a constant below them), which is never merged.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <tapeless/tapeless.hpp>

#include "torch_reference.hpp"

namespace tapeless::testing {

namespace detail {

inline reference::node_kind reference_kind(node_kind kind) {
  switch (kind) {
    case node_kind::op: return reference::node_kind::op;
    case node_kind::input: return reference::node_kind::input;
    case node_kind::param: return reference::node_kind::param;
    case node_kind::constant:
    case node_kind::literal: return reference::node_kind::constant;
  }
  throw std::invalid_argument("describe: unknown node kind");
}

class describer {
 public:
  reference::graph graph;

  template <class E>
  std::size_t visit(const E& e) {
    if constexpr (!E::positional) {
      if (const auto seen = ids_.find(typeid(E)); seen != ids_.end()) return seen->second;
    }
    const tapeless::graph::node_descriptor& d = *tapeless::graph::descriptor_v<E>;
    reference::graph_node n;
    n.kind = reference_kind(d.kind);
    n.name = std::string(d.name);
    n.shape.assign(E::shape_type::extents.begin(), E::shape_type::extents.end());
    if constexpr (is_node_v<E>) {
      if (d.arity != E::arity) throw std::logic_error("describe: descriptor arity differs from the node's");
      n.operands = visit_operands(e, std::make_index_sequence<E::arity>{});
      describe_parameters<typename E::op>(n);
    } else if constexpr (is_constant_v<E> || is_literal_v<E>) {
      n.value = static_cast<double>(e.value);
    }
    graph.nodes.push_back(std::move(n));
    const std::size_t id = graph.nodes.size() - 1;
    if constexpr (!E::positional) ids_.emplace(typeid(E), id);
    return id;
  }

 private:
  std::unordered_map<std::type_index, std::size_t> ids_;

  // The op's parameters that its name and the node's shape do not tell: reduced axes and
  // keepdims, the axes a transpose swaps, a slice's rows, a concatenation's axis.
  template <class Op>
  static void describe_parameters(reference::graph_node& n) {
    if constexpr (requires { Op::keep_dims; Op::axes; }) {
      n.axes.assign(Op::axes.begin(), Op::axes.end());
      n.keepdims = Op::keep_dims;
    } else if constexpr (requires { Op::axis0; Op::axis1; }) {
      n.axes = {Op::axis0, Op::axis1};
    } else if constexpr (requires { Op::begin; Op::end; }) {
      n.axes = {Op::begin, Op::end};
    } else if constexpr (requires { Op::axis; }) {
      n.axes = {Op::axis};
    }
  }

  template <class E, std::size_t... K>
  std::vector<std::size_t> visit_operands(const E& e, std::index_sequence<K...>) {
    // Braced initialisation evaluates left to right: operands are numbered in order.
    const std::array<std::size_t, sizeof...(K)> ids{visit(e.template operand<K>())...};
    return {ids.begin(), ids.end()};
  }
};

}  // namespace detail

/// The reference graph of `e`, root last.
template <expression E>
reference::graph describe(const E& e) {
  detail::describer d;
  const std::string_view dtype = tapeless::graph::descriptor_v<E>->dtype;
  d.graph.type = dtype == "float32" ? reference::dtype::float32 : reference::dtype::float64;
  d.visit(e);
  return std::move(d.graph);
}

}  // namespace tapeless::testing
