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

}  // namespace tapeless
