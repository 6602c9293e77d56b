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

/// How the tensor engine runs an op.
enum class op_class : unsigned char {
  elementwise,  ///< one output element from the same element of each (broadcast) operand: fused loops
  reduction,    ///< sum / mean / amax / amin over some axes: a loop fused with its operand
  view,         ///< the operand's elements seen through other extents and strides (Op::see)
  kernel,       ///< its own forward and backward kernels (Op::forward_kernel, Op::backward_kernel)
};

/// How a value lies in memory, from the most to the least regular. A view op says which class
/// its result has for each class of its operand.
enum class layout_class : unsigned char {
  contiguous,  ///< row-major, no gaps
  matrix,      ///< the last two axes form matrices BLAS can read (unit stride along one of them)
  strided,     ///< any strides (also negative)
  copy,        ///< (a view's answer) not expressible as a view of such an operand: the view copies
};

}  // namespace tapeless
