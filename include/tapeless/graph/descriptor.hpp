#pragma once
// One constexpr descriptor per node type. The descriptor's address is the node's identity; the
// graph algorithms read descriptors, never the (long) expression types themselves.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../core/dtype.hpp"
#include "../core/expression.hpp"
#include "../core/kinds.hpp"

namespace tapeless::graph {

struct node_descriptor {
  node_kind kind;
  std::string_view name;  ///< the leaf's name, or the op's name
  std::string_view dtype;
  bool positional;        ///< holds run-time data: identity is its position, never merged
  std::size_t arity;
  const node_descriptor* const* operands;
  std::uint64_t hash;     ///< structural hash, to find equal descriptors fast
  op_class category = op_class::elementwise;  ///< for op nodes: how the tensor engine runs it
  std::size_t rank = 0;                       ///< rank of the node's shape
  const std::size_t* extents = nullptr;       ///< its static extents (`dynamic` where unknown)
  bool vjp_reads_operands = true;             ///< false: the op's VJP needs only g and its output
  bool stops_gradient = false;                ///< no adjoint flows to the operands (detach)
  /// A view's result layout for an operand that is contiguous, matrix, strided (layout_class).
  layout_class view_layout[3] = {layout_class::copy, layout_class::copy, layout_class::copy};
  bool view_covers_operand = false;   ///< a view that sees every element of its operand
  bool matrix_operands = false;       ///< its kernel reads each operand as BLAS matrices
  bool backward_reads_output = true;  ///< its backward kernel reads its own result
  std::size_t aux_buffers = 0;        ///< extra buffers of its result's size (amax's tie counts)
  bool sums = false;                  ///< a sum or mean (a full one at the root is summed in the reverse pass)
};

namespace detail {

constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0x100000001b3ull;
}

constexpr std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

template <class E>
constexpr std::string_view name_of() {
  if constexpr (is_leaf_v<E>) return E::name.view();
  else if constexpr (is_node_v<E>) return E::op::name;
  else if constexpr (is_literal_v<E>) return "literal";
  else return "constant";
}

template <class E, class Indices>
struct operand_list;

}  // namespace detail

template <class E>
struct descriptor_of;

/// The descriptor of expression type E; its address identifies the node.
template <class E>
inline constexpr const node_descriptor* descriptor_v = &descriptor_of<std::remove_cvref_t<E>>::value;

namespace detail {

template <class E, std::size_t... K>
struct operand_list<E, std::index_sequence<K...>> {
  static constexpr const node_descriptor* value[] = {descriptor_v<typename E::template operand_type<K>>...};
};

// The hash covers everything that tells two node types apart: kind, name, dtype, shape, a
// literal's exact value, an op's parameters, and the operands' hashes. Equal hashes are then
// confirmed by comparing descriptor addresses (see walk()).
template <class E>
constexpr std::uint64_t structural_hash() {
  std::uint64_t h = mix(hash_text(name_of<E>()), static_cast<std::uint64_t>(E::kind));
  h = mix(h, hash_text(dtype_name<typename E::value_type>));
  h = mix(h, E::shape_type::rank);
  for (std::size_t extent : E::shape_type::extents) h = mix(h, extent);
  if constexpr (is_literal_v<E>) h = mix(h, std::bit_cast<std::uint64_t>(static_cast<double>(E::value)));
  if constexpr (is_node_v<E>) {
    if constexpr (requires { E::op::parameters_hash; }) h = mix(h, E::op::parameters_hash);
  }
  return h;
}

template <class E>
constexpr bool vjp_reads_operands() {
  if constexpr (requires { E::op::vjp_reads_operands; }) return E::op::vjp_reads_operands;
  else return true;
}

template <class E>
constexpr bool stops_gradient() {
  if constexpr (requires { E::op::stops_gradient; }) return E::op::stops_gradient;
  else return false;
}

template <class E>
constexpr node_descriptor make_descriptor() {
  std::uint64_t h = structural_hash<E>();
  node_descriptor d{E::kind, name_of<E>(), dtype_name<typename E::value_type>, E::positional, 0, nullptr, h};
  d.rank = E::shape_type::rank;
  d.extents = E::shape_type::extents.data();
  if constexpr (is_node_v<E>) {
    using op = typename E::op;
    const auto& operands = operand_list<E, std::make_index_sequence<E::arity>>::value;
    for (const node_descriptor* o : operands) d.hash = mix(d.hash, o->hash);
    d.arity = E::arity;
    d.operands = operands;
    d.category = op::category;
    d.vjp_reads_operands = vjp_reads_operands<E>();
    d.stops_gradient = stops_gradient<E>();
    if constexpr (op::category == op_class::view && requires {
                    op::result_layout(layout_class::contiguous, std::size_t{});
                    op::covers_operand;
                  }) {
      constexpr std::size_t in_rank = E::template operand_type<0>::shape_type::rank;
      d.view_layout[0] = op::result_layout(layout_class::contiguous, in_rank);
      d.view_layout[1] = op::result_layout(layout_class::matrix, in_rank);
      d.view_layout[2] = op::result_layout(layout_class::strided, in_rank);
      d.view_covers_operand = op::covers_operand;
    }
    if constexpr (requires { op::matrix_operands; }) d.matrix_operands = op::matrix_operands;
    if constexpr (requires { op::backward_reads_output; }) d.backward_reads_output = op::backward_reads_output;
    if constexpr (requires { op::aux_buffers; }) d.aux_buffers = op::aux_buffers;
    if constexpr (requires { op::sums; }) d.sums = op::sums;
  }
  return d;
}

}  // namespace detail

template <class E>
struct descriptor_of {
  static constexpr node_descriptor value = detail::make_descriptor<E>();
};

}  // namespace tapeless::graph
