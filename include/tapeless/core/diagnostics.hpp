#pragma once
// Compile-time diagnostics. Each mistake is one class template whose *name* says what is wrong
// and whose *arguments* are the offending extents, so the compiler's "in instantiation of"
// line shows the numbers next to the one error message (static_assert messages cannot be
// formatted in C++20).
#include <cstddef>

#include "fixed_string.hpp"

namespace tapeless::diagnostics {

template <class...>
inline constexpr bool always_false = false;
template <std::size_t...>
inline constexpr bool always_false_n = false;

/// Op is the op, A and B the operand shapes.
template <class Op, class A, class B>
struct shapes_do_not_broadcast {
  static_assert(always_false<Op, A, B>,
                "tapeless: the operands of an elementwise op have shapes that do not broadcast (op and "
                "shapes in shapes_do_not_broadcast<op, lhs, rhs>); each trailing extent must match or be 1");
};

/// The operands of Op have different dtypes (A and B: float is float32, double float64). This is
/// the general message; an op's header specialises it to name the op as the user spells it
/// (ops/add.hpp: "tapeless::add (a + b): ..."), so the message names the API that was called.
template <class Op, class A, class B>
struct dtypes_differ {
  static_assert(always_false<Op, A, B>,
                "tapeless: the operands of an op have different dtypes (the op and the dtypes are in "
                "dtypes_differ<op, lhs, rhs>); declare both leaves with the same dtype");
};

/// Always false: the failed requirement `leaf_is_bound<"x">` names the leaf that has no
/// binding (clang prints the requirement on the error line, GCC in the note under it).
template <fixed_string Name>
inline constexpr bool leaf_is_bound = false;

template <std::size_t LhsInner, std::size_t RhsInner>
struct matmul_inner_extents_differ {
  static_assert(always_false_n<LhsInner, RhsInner>,
                "tapeless::matmul: inner extents differ (lhs columns vs rhs rows in "
                "matmul_inner_extents_differ<lhs, rhs>); the lhs's last extent must equal the rhs's first");
};

template <std::size_t LhsRank, std::size_t RhsRank>
struct matmul_ranks_unsupported {
  static_assert(always_false_n<LhsRank, RhsRank>,
                "tapeless::matmul: operands must be vectors, matrices or batches of matrices, with a "
                "result of rank 4 at most; ranks are in matmul_ranks_unsupported<lhs, rhs>");
};

template <class Lhs, class Rhs>
struct matmul_batch_extents_differ {
  static_assert(always_false<Lhs, Rhs>,
                "tapeless::matmul: the batch extents do not broadcast (shapes in "
                "matmul_batch_extents_differ<lhs, rhs>); each batch extent must match or be 1");
};

template <std::size_t Axis, std::size_t Rank>
struct reduction_axis_out_of_range {
  static_assert(always_false_n<Axis, Rank>,
                "tapeless::reduce: a reduction axis is out of range (axis and operand rank in "
                "reduction_axis_out_of_range<axis, rank>); axes count from 0 to rank - 1");
};

template <std::size_t... Axes>
struct reduction_axes_repeated {
  static_assert(always_false_n<Axes...>,
                "tapeless::reduce: a reduction axis is named twice; name each axis once");
};

template <std::size_t Axis0, std::size_t Axis1, std::size_t Rank>
struct transpose_axis_out_of_range {
  static_assert(always_false_n<Axis0, Axis1, Rank>,
                "tapeless::transpose: an axis is out of range (axes and rank in "
                "transpose_axis_out_of_range<axis0, axis1, rank>); transpose needs rank >= 2");
};

template <std::size_t From, std::size_t To>
struct reshape_sizes_differ {
  static_assert(always_false_n<From, To>,
                "tapeless::reshape: the new shape holds a different number of elements (in "
                "reshape_sizes_differ<operand size, new size>); the sizes must be equal");
};

template <class Target, class From>
struct cannot_broadcast_to {
  static_assert(always_false<Target, From>,
                "tapeless::broadcast_to: the operand's shape does not broadcast to the target shape (in "
                "cannot_broadcast_to<target, operand>)");
};

template <std::size_t Axis, class A, class B>
struct concatenate_shapes_differ {
  static_assert(always_false<A, B>,
                "tapeless::concatenate: operands differ in rank or in an extent other than the "
                "concatenation axis (in concatenate_shapes_differ<axis, lhs, rhs>)");
};

/// An op of class `kernel` whose header defines no tensor kernels.
template <class Op>
struct op_has_no_tensor_kernel {
  static_assert(always_false<Op>,
                "tapeless: an op of class kernel has no forward_kernel / backward_kernel for tensors (op in "
                "op_has_no_tensor_kernel<op>); define both next to its rules, as ops/matmul.hpp does");
};

/// An op of class `view` that does not say how it sees its operand.
template <class Op>
struct view_op_without_see {
  static_assert(always_false<Op>,
                "tapeless: an op of class view lacks see / result_layout / covers_operand / "
                "keeps_row_major_order (op in view_op_without_see<op>); define them next to its rules, "
                "as ops/transpose.hpp does");
};

}  // namespace tapeless::diagnostics
