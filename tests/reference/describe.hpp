#pragma once
// A tapeless expression as a run-time graph for the reference. Each node's kind, name and dtype
// come from its graph descriptor; constants come from the expression object itself. Identity
// is decided here, independently of the library's graph walk: nodes of the same type are one
// node unless they hold run-time data (a constant below them), which is never merged.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
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

// The op's parameters that its name and the node's shape do not tell: reduced axes and
// keepdims, the axes a transpose swaps, a slice's axis, range and step, a flip's axes, a concatenation's axis.
struct op_parameters {
  std::array<std::size_t, 4> axes{};
  std::size_t count = 0;
  bool keepdims = false;
};

template <class Op>
constexpr op_parameters parameters_of() {
  op_parameters p;
  if constexpr (requires { Op::keep_dims; Op::axes; }) {
    for (std::size_t a : Op::axes) p.axes[p.count++] = a;
    p.keepdims = Op::keep_dims;
  } else if constexpr (requires { Op::axis0; Op::axis1; }) {
    p.axes = {Op::axis0, Op::axis1};
    p.count = 2;
  } else if constexpr (requires { Op::axis; Op::begin; Op::end; Op::step; }) {
    p.axes = {Op::axis, Op::begin, Op::end, Op::step};
    p.count = 4;
  } else if constexpr (requires { Op::flipped; }) {
    for (std::size_t a : Op::flipped) p.axes[p.count++] = a;
  } else if constexpr (requires { Op::axis; }) {
    p.axes = {Op::axis};
    p.count = 1;
  }
  return p;
}

// The walk is a template per node type, kept as thin as possible (graphs have many node types):
// everything that does not depend on the type is in the non-template members.
class describer {
 public:
  reference::graph graph;

  template <class E>
  std::size_t visit(const E& e) {
    const tapeless::graph::node_descriptor* d = tapeless::graph::descriptor_v<E>;
    if constexpr (!E::positional) {
      if (const auto seen = ids_.find(d); seen != ids_.end()) return seen->second;
    }
    if constexpr (is_node_v<E>) {
      static constexpr op_parameters parameters = parameters_of<typename E::op>();
      const auto operands = visit_operands(e, std::make_index_sequence<E::arity>{});
      return add(d, E::positional, operands.data(), E::arity, 0, parameters);
    } else if constexpr (is_constant_v<E> || is_literal_v<E>) {
      return add(d, E::positional, nullptr, 0, static_cast<double>(e.value), {});
    } else {
      return add(d, E::positional, nullptr, 0, 0, {});
    }
  }

 private:
  // A node type's descriptor is unique to it (one constexpr object per type), so its address
  // identifies the type.
  std::unordered_map<const tapeless::graph::node_descriptor*, std::size_t> ids_;

  template <class E, std::size_t... K>
  std::array<std::size_t, sizeof...(K)> visit_operands(const E& e, std::index_sequence<K...>) {
    // Braced initialisation evaluates left to right: operands are numbered in order.
    return {visit(e.template operand<K>())...};
  }

  std::size_t add(const tapeless::graph::node_descriptor* d, bool positional, const std::size_t* operands,
                  std::size_t arity, double value, const op_parameters& parameters) {
    if (d->arity != arity) throw std::logic_error("describe: descriptor arity differs from the node's");
    reference::graph_node n;
    n.kind = reference_kind(d->kind);
    n.name = std::string(d->name);
    n.value = value;
    n.operands.assign(operands, operands + arity);
    n.shape.assign(d->extents, d->extents + d->rank);
    n.axes.assign(parameters.axes.begin(), parameters.axes.begin() + static_cast<std::ptrdiff_t>(parameters.count));
    n.keepdims = parameters.keepdims;
    graph.nodes.push_back(std::move(n));
    const std::size_t id = graph.nodes.size() - 1;
    if (!positional) ids_.emplace(d, id);
    return id;
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
