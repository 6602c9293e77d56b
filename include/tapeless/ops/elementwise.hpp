#pragma once
// Plumbing shared by every elementwise op: the dtype and shape rules, the checks made once at
// the public entry point, and the function objects that build nodes.
#include <type_traits>

#include "../core/diagnostics.hpp"
#include "../core/extents.hpp"
#include "../core/expression.hpp"
#include "../core/shape.hpp"

namespace tapeless {

namespace ops {

/// Base of elementwise op rules: the result has the common dtype and the broadcast shape.
struct elementwise {
  static constexpr bool is_elementwise = true;
  static constexpr op_class category = op_class::elementwise;
  template <class D0, class... D>
  using dtype_rule = D0;
  template <class S0, class... S>
  using shape_rule = S0;

  /// The run-time shape rule of every elementwise op (NumPy broadcasting of the bound extents):
  /// an extent of 1 in an operand's declared shape broadcasts, and so does a dynamic extent bound
  /// to 1 (the plan sums the adjoint of an operand that may be broadcast over those axes). `out`
  /// is the declared result, whose static extents a broadcast_to may enlarge.
  template <std::size_t A>
  static constexpr shape_outcome bound_extents(const std::array<extents, A>& in, const std::array<extents, A>& declared,
                                               const extents& out) {
    shape_outcome s;
    const std::size_t R = out.rank;
    s.out.rank = R;
    std::array<bool, max_rank> set{};
    for (std::size_t a = 0; a < R; ++a) s.out[a] = 1;
    for (std::size_t k = 0; k < A; ++k) {
      const std::size_t ro = in[k].rank;
      for (std::size_t a = R - ro; a < R; ++a) {
        if (declared[k][a - (R - ro)] == 1) continue;
        const std::size_t x = in[k][a - (R - ro)];
        if (x == 1 && declared[k][a - (R - ro)] == dynamic) continue;  // bound to 1: broadcast
        if (!set[a]) {
          s.out[a] = x;
          set[a] = true;
        } else if (s.out[a] != x) {
          s.error = "operands do not broadcast; a dynamic extent must be bound to 1 or to the other operands' extent";
          return s;
        }
      }
    }
    for (std::size_t a = 0; a < R; ++a)
      if (out[a] != dynamic && s.out[a] != out[a]) {
        if (s.out[a] != 1) {
          s.error = "the operand does not fit the result's extents";
          return s;
        }
        s.out[a] = out[a];  // broadcast_to a larger static extent
      }
    return s;
  }
};


/// Elementwise over two operands: broadcast shapes.
struct elementwise_binary : elementwise {
  template <class S0, class S1>
  using shape_rule = broadcast_t<S0, S1>;
};

/// Elementwise over three operands (where): broadcast shapes.
struct elementwise_ternary : elementwise {
  template <class S0, class S1, class S2>
  using shape_rule = broadcast_t<broadcast_t<S0, S1>, S2>;
};

/// The op of a node whose operands `Op` rejected (its static_assert has fired). It keeps Op's
/// rules and both operands, so every leaf stays in the graph, and it marks the expression so
/// that the same mistake is not reported again further up.
template <class Op>
struct rejected : Op {};

}  // namespace ops

namespace detail {

/// True when E holds a node that was rejected when it was built.
template <class E>
inline constexpr bool contains_rejected_v = false;
template <class Op, class... Operands>
inline constexpr bool contains_rejected_v<node<Op, Operands...>> = (contains_rejected_v<Operands> || ...);
template <class Op, class... Operands>
inline constexpr bool contains_rejected_v<node<ops::rejected<Op>, Operands...>> = true;

template <class A, class B>
constexpr auto operand_dtype() {
  if constexpr (expression<A> && !is_literal_v<A>) return std::type_identity<typename A::value_type>{};
  else if constexpr (expression<B> && !is_literal_v<B>) return std::type_identity<typename B::value_type>{};
  else if constexpr (expression<A>) return std::type_identity<typename A::value_type>{};
  else return std::type_identity<typename B::value_type>{};
}

template <dtype T, class X>
using lifted_t = std::conditional_t<expression<X> && !is_literal_v<X>, X, decltype(lift<T>(std::declval<const X&>()))>;

template <class Op, class A, class B>
constexpr auto make_binary(const A& a, const B& b) {
  using T = typename decltype(operand_dtype<A, B>())::type;
  using LA = lifted_t<T, A>;
  using LB = lifted_t<T, B>;
  constexpr bool same_dtype = std::is_same_v<typename LA::value_type, typename LB::value_type>;
  constexpr bool compatible = broadcastable_v<typename LA::shape_type, typename LB::shape_type>;
  if constexpr (!same_dtype || !compatible) {
    // An operand that holds a rejected node carries a mistake reported already.
    if constexpr (!contains_rejected_v<LA> && !contains_rejected_v<LB>) {
      if constexpr (!same_dtype)
        (void)diagnostics::dtypes_differ<Op, typename LA::value_type, typename LB::value_type>{};
      else
        (void)diagnostics::shapes_do_not_broadcast<Op, typename LA::shape_type, typename LB::shape_type>{};
    }
    return node<ops::rejected<Op>, LA, LB>{lift<T>(a), lift<T>(b)};
  }
  // Pure operands are types only: build the node without touching the operand objects, so
  // no constructor is instantiated per node type.
  else if constexpr (!LA::positional && !LB::positional) return node<Op, LA, LB>{};
  else return node<Op, LA, LB>{lift<T>(a), lift<T>(b)};
}

}  // namespace detail

namespace ops {

/// `f(x)` for an elementwise unary op.
template <class Op>
struct unary_function {
  template <expression A>
  [[nodiscard]] constexpr auto operator()(const A& a) const {
    if constexpr (A::positional) return node<Op, A>{a};
    else return node<Op, A>{};
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
