#pragma once
// What a node of the graph is: an op over operands, or one of the leaf kinds.

namespace tapeless {

enum class node_kind : unsigned char {
  op,        ///< an operation over operand nodes
  input,     ///< a named leaf without gradient (data)
  param,     ///< a named leaf with gradient (trainable)
  constant,  ///< a number written in the expression (3 * x); held by value, identity is its position
  literal,   ///< a number carried in the type (tl::lit<2.0>); identity is its value
};

/// What an op does to the layout of its data, which decides how an evaluator runs it.
enum class op_class : unsigned char {
  elementwise,  ///< one output element from the same element of each (broadcast) operand
  reduction,    ///< sum / mean / amax / amin over some axes
  matmul,       ///< matrix product (2-D, or batched)
  view,         ///< transpose, reshape, slice: the same elements seen through other extents
  concat,       ///< concatenation along an axis
};

}  // namespace tapeless
