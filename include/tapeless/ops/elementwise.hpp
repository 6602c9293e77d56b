#pragma once
// Plumbing shared by every elementwise op: the dtype and shape rules, the checks made once at
// the public entry point, and the function objects that build nodes.
#include <type_traits>

#include "../core/expression.hpp"
#include "../core/shape.hpp"

namespace tapeless {

namespace ops {

/// Base of elementwise op rules: the result has the common dtype and the broadcast shape.
struct elementwise {
  static constexpr bool is_elementwise = true;
  template <class D0, class... D>
  using dtype_rule = D0;
  template <class S0, class... S>
  using shape_rule = S0;
};


/// Elementwise over two operands: broadcast shapes.
struct elementwise_binary : elementwise {
  template <class S0, class S1>
  using shape_rule = broadcast_t<S0, S1>;
};

}  // namespace ops

namespace detail {

template <class A, class B>
constexpr auto operand_dtype() {
  if constexpr (expression<A> && !is_literal_v<A>) return std::type_identity<typename A::value_type>{};
  else if constexpr (expression<B> && !is_literal_v<B>) return std::type_identity<typename B::value_type>{};
  else if constexpr (expression<A>) return std::type_identity<typename A::value_type>{};
  else return std::type_identity<typename B::value_type>{};
}

template <class Op, class A, class B>
constexpr auto make_binary(const A& a, const B& b) {
  using T = typename decltype(operand_dtype<A, B>())::type;
  const auto la = lift<T>(a);
  const auto lb = lift<T>(b);
  using LA = std::remove_cvref_t<decltype(la)>;
  using LB = std::remove_cvref_t<decltype(lb)>;
  constexpr bool same_dtype = std::is_same_v<typename LA::value_type, typename LB::value_type>;
  static_assert(same_dtype,
                "tapeless: the operands of an elementwise op have different dtypes (float32 vs "
                "float64); declare both leaves with the same dtype");
  constexpr bool compatible = broadcastable_v<typename LA::shape_type, typename LB::shape_type>;
  static_assert(compatible,
                "tapeless: the operands of an elementwise op have shapes that do not broadcast; "
                "each trailing extent must match or be 1");
  if constexpr (same_dtype && compatible) return node<Op, LA, LB>{la, lb};
  else return la;
}

}  // namespace detail

namespace ops {

/// `f(x)` for an elementwise unary op.
template <class Op>
struct unary_function {
  template <expression A>
  [[nodiscard]] constexpr auto operator()(const A& a) const {
    return node<Op, A>{a};
  }
};

/// `f(a, b)` for an elementwise binary op; one side may be a plain number.
template <class Op>
struct binary_function {
  template <operand A, operand B>
    requires(expression<A> || expression<B>)
  [[nodiscard]] constexpr auto operator()(const A& a, const B& b) const {
    return detail::make_binary<Op>(a, b);
  }
};

}  // namespace ops

}  // namespace tapeless
