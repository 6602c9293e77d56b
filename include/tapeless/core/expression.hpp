#pragma once
// The concept every graph node satisfies, and the lifting of plain numbers into nodes.
#include <concepts>
#include <type_traits>

#include "constant.hpp"
#include "dtype.hpp"
#include "leaf.hpp"
#include "node.hpp"

namespace tapeless {

/// Anything that can be a node of a tapeless graph: a leaf, a constant, a literal or an op node.
template <class E>
concept expression = is_leaf_v<E> || is_constant_v<E> || is_literal_v<E> || is_node_v<E>;

/// An expression or a plain number that can stand next to one.
template <class E>
concept operand = expression<E> || arithmetic<E>;

namespace detail {

// The dtype a plain number or literal adopts next to an expression of dtype T.
template <class T, class X>
constexpr auto lift(const X& x) {
  if constexpr (arithmetic<X>) return constant<T>{static_cast<T>(x)};
  else if constexpr (is_literal_v<X>) return literal<static_cast<double>(X::value), T>{};
  else return x;
}

template <class A, class B>
struct common_operand_dtype {
  using type = typename A::value_type;
};
template <class A, class B>
  requires(!expression<A> || is_literal_v<A>)
struct common_operand_dtype<A, B> {
  using type = typename B::value_type;
};

}  // namespace detail

}  // namespace tapeless
