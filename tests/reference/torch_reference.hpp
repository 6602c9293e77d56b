#pragma once
// The dynamic reference: a graph described at run time is rebuilt with LibTorch tensors whose
// autograd records a tape, and differentiated with backward(). The interface has no templates
// and no torch types, so only torch_reference.cpp pays for including LibTorch. Scalar graphs use
// evaluate(); tensor graphs (shapes, broadcasting, reductions, matmul, views) use
// evaluate_tensors().
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tapeless::reference {

enum class dtype { float32, float64 };

enum class node_kind {
  op,        ///< `name` is the op: add sub mul div neg square pow exp log sqrt abs sin cos tanh
             ///< sigmoid relu softplus max min (elementwise, broadcasting), lt le gt ge eq ne (masks
             ///< in the dtype), where, sum mean amax amin, matmul, transpose, reshape,
             ///< broadcast_to, slice, concatenate
  input,     ///< a leaf without gradient (requires_grad=False)
  param,     ///< a leaf with gradient (requires_grad=True)
  constant,  ///< a number, `value`
};

struct graph_node {
  node_kind kind = node_kind::op;
  std::string name;                   ///< the op, or the leaf's name
  double value = 0;                   ///< a constant's value
  std::vector<std::size_t> operands;  ///< positions of earlier nodes
  std::vector<std::size_t> shape;     ///< extents of the node's value ({} for a scalar)
  /// The op's parameters: sum mean amax amin: the reduced axes ({} for all); transpose: the two
  /// axes; slice: axis, begin, end (SIZE_MAX: to the end) and step; flip: the flipped axes; take: the axis; concatenate: the axis. reshape and
  /// broadcast_to take their target from `shape`.
  std::vector<std::size_t> axes;
  bool keepdims = false;              ///< reductions: reduced axes stay with extent 1
};

/// A DAG in topological order: operands come before their consumers; the last node is the root.
struct graph {
  dtype type = dtype::float64;
  std::vector<graph_node> nodes;
};

/// The root's value and the gradient of every param that the root depends on, by name; with a
/// direction v, also the Hessian-vector product H v by name (LibTorch's double backward).
struct evaluation {
  double value = 0;
  std::map<std::string, double> gradients;
  std::map<std::string, double> hvp;
};

/// Builds `g` with LibTorch (leaves bound to `bindings` by name), runs backward from the root.
/// Throws std::invalid_argument for an unknown op, a wrong arity, a bad operand position, a
/// missing binding or a non-scalar result.
evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings);
/// The same, and H v for the direction v (one number per param, by name): the gradient with
/// create_graph, then the gradient of <gradient, v> (torch::autograd::grad twice).
evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings,
                    const std::map<std::string, double>& direction);

/// Row-major data with its extents ({} for a scalar), in double whatever the graph's dtype.
struct tensor {
  std::vector<std::size_t> shape;
  std::vector<double> data;
};

/// The root's value and the gradient of every param of the graph, by name. A param that the
/// root does not reach (or reaches only through a comparison) has a gradient of zeros.
struct tensor_evaluation {
  tensor value;
  std::map<std::string, tensor> gradients;
  /// With a direction v: d/dt of the gradients at params + t v (the Hessian of <root, seed>
  /// times v), by name; zeros where the gradient does not depend on the params.
  std::map<std::string, tensor> hvp;
};

/// Builds `g` with LibTorch tensors of the graph's dtype (leaves bound by name, extents checked
/// against the leaf's `shape`) and runs backward from the root: with `seed` as the root's
/// gradient (PyTorch's backward(gradient)), or with 1 when `seed` is null and the root is a
/// scalar. Throws std::invalid_argument for an unknown op, a wrong arity, a bad operand
/// position, a missing or misshapen binding, a result whose extents differ from its node's
/// `shape`, or a non-scalar root without a seed.
tensor_evaluation evaluate_tensors(const graph& g, const std::map<std::string, tensor>& bindings,
                                   const tensor* seed = nullptr);
/// The same, and the Hessian-vector products along `direction` (one tensor per param, by name):
/// the gradients with create_graph, then the gradient of <gradients, v> (double backward).
tensor_evaluation evaluate_tensors(const graph& g, const std::map<std::string, tensor>& bindings, const tensor* seed,
                                   const std::map<std::string, tensor>& direction);

}  // namespace tapeless::reference
