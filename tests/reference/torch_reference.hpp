#pragma once
// The dynamic reference: a graph described at run time is rebuilt with LibTorch tensors whose
// autograd records a tape, and differentiated with backward(). The interface has no templates
// and no torch types, so only torch_reference.cpp pays for including LibTorch.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tapeless::reference {

enum class dtype { float32, float64 };

enum class node_kind {
  op,        ///< `name` is the op: add sub mul div neg square pow exp log sqrt abs sin cos tanh
             ///< sigmoid relu softplus max min
  input,     ///< a leaf without gradient (requires_grad=False)
  param,     ///< a leaf with gradient (requires_grad=True)
  constant,  ///< a number, `value`
};

struct graph_node {
  node_kind kind = node_kind::op;
  std::string name;                   ///< the op, or the leaf's name
  double value = 0;                   ///< a constant's value
  std::vector<std::size_t> operands;  ///< positions of earlier nodes
};

/// A DAG in topological order: operands come before their consumers; the last node is the root.
struct graph {
  dtype type = dtype::float64;
  std::vector<graph_node> nodes;
};

/// The root's value and the gradient of every param that the root depends on, by name.
struct evaluation {
  double value = 0;
  std::map<std::string, double> gradients;
};

/// Builds `g` with LibTorch (leaves bound to `bindings` by name), runs backward from the root.
/// Throws std::invalid_argument for an unknown op, a wrong arity, a bad operand position, a
/// missing binding or a non-scalar result.
evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings);

}  // namespace tapeless::reference
