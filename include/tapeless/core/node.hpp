#pragma once
// The node template: an op tag over its operands' types. The type *is* the graph.
// A node stores an operand only when that operand holds run-time data (a constant somewhere
// below it); operands that are pure types are rebuilt from their type, so shared
// subexpressions cost no storage and a node over pure operands is an empty class.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "kinds.hpp"

namespace tapeless {

namespace detail {

template <std::size_t K, class... Ts>
struct pack_element;
template <class T0, class... Ts>
struct pack_element<0, T0, Ts...> {
  using type = T0;
};
template <class T0, class T1, class... Ts>
struct pack_element<1, T0, T1, Ts...> {
  using type = T1;
};
template <class T0, class T1, class T2, class... Ts>
struct pack_element<2, T0, T1, T2, Ts...> {
  using type = T2;
};
template <std::size_t K, class T0, class T1, class T2, class T3, class... Ts>
  requires(K >= 3)
struct pack_element<K, T0, T1, T2, T3, Ts...> {
  using type = typename pack_element<K - 3, T3, Ts...>::type;
};

// Operand K of a node. Stored only when it holds data; otherwise an empty base rebuilt on demand.
template <std::size_t K, class Operand, bool Stored = Operand::positional>
struct operand_slot {
  Operand operand;
  constexpr explicit operand_slot(const Operand& o) : operand(o) {}
  constexpr const Operand& get() const noexcept { return operand; }
};
template <std::size_t K, class Operand>
struct operand_slot<K, Operand, false> {
  constexpr explicit operand_slot(const Operand&) noexcept {}
  constexpr operand_slot() noexcept = default;
  static constexpr Operand get() noexcept { return Operand{}; }
};

template <class Indices, class... Operands>
struct operand_storage;
template <std::size_t... K, class... Operands>
struct operand_storage<std::index_sequence<K...>, Operands...> : operand_slot<K, Operands>... {
  constexpr operand_storage() noexcept = default;
  constexpr explicit operand_storage(const Operands&... operands)
      : operand_slot<K, Operands>(operands)... {}
};

}  // namespace detail

/// A node of the graph: `Op` says what is computed from the operands. Op supplies the rules
/// (dtype, shape, forward, vjp, jvp); evaluators live elsewhere.
template <class Op, class... Operands>
struct node : detail::operand_storage<std::index_sequence_for<Operands...>, Operands...> {
  using op = Op;
  using value_type = typename Op::template dtype_rule<typename Operands::value_type...>;
  using shape_type = typename Op::template shape_rule<typename Operands::shape_type...>;
  static constexpr node_kind kind = node_kind::op;
  static constexpr std::size_t arity = sizeof...(Operands);
  static constexpr bool positional = (Operands::positional || ...);

  template <std::size_t K>
  using operand_type = typename detail::pack_element<K, Operands...>::type;

  constexpr node() noexcept = default;
  constexpr explicit node(const Operands&... operands)
      : detail::operand_storage<std::index_sequence_for<Operands...>, Operands...>(operands...) {}

  /// Operand K: a reference to the stored operand, or a fresh value of a pure operand type.
  template <std::size_t K>
  [[nodiscard]] constexpr decltype(auto) operand() const noexcept {
    return static_cast<const detail::operand_slot<K, operand_type<K>>&>(*this).get();
  }
};

template <class T>
inline constexpr bool is_node_v = false;
template <class Op, class... Operands>
inline constexpr bool is_node_v<node<Op, Operands...>> = true;

}  // namespace tapeless
