// The only file that includes LibTorch.
#include "torch_reference.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace tapeless::reference {

namespace {

using unary = std::function<torch::Tensor(const torch::Tensor&)>;
using binary = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

const std::unordered_map<std::string_view, unary>& unary_ops() {
  static const std::unordered_map<std::string_view, unary> ops{
      {"neg", [](const torch::Tensor& a) { return torch::neg(a); }},
      {"square", [](const torch::Tensor& a) { return torch::square(a); }},
      {"exp", [](const torch::Tensor& a) { return torch::exp(a); }},
      {"log", [](const torch::Tensor& a) { return torch::log(a); }},
      {"sqrt", [](const torch::Tensor& a) { return torch::sqrt(a); }},
      {"abs", [](const torch::Tensor& a) { return torch::abs(a); }},
      {"sin", [](const torch::Tensor& a) { return torch::sin(a); }},
      {"cos", [](const torch::Tensor& a) { return torch::cos(a); }},
      {"tanh", [](const torch::Tensor& a) { return torch::tanh(a); }},
      {"sigmoid", [](const torch::Tensor& a) { return torch::sigmoid(a); }},
      {"relu", [](const torch::Tensor& a) { return torch::relu(a); }},
      {"softplus", [](const torch::Tensor& a) { return torch::softplus(a); }},
  };
  return ops;
}

const std::unordered_map<std::string_view, binary>& binary_ops() {
  static const std::unordered_map<std::string_view, binary> ops{
      {"add", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::add(a, b); }},
      {"sub", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::sub(a, b); }},
      {"mul", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::mul(a, b); }},
      {"div", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::div(a, b); }},
      {"pow", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::pow(a, b); }},
      {"max", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::maximum(a, b); }},
      {"min", [](const torch::Tensor& a, const torch::Tensor& b) { return torch::minimum(a, b); }},
  };
  return ops;
}

std::vector<std::int64_t> signed_extents(const std::vector<std::size_t>& extents) {
  return {extents.begin(), extents.end()};
}

void expect_arity(const graph_node& n, const std::vector<torch::Tensor>& args, std::size_t arity) {
  if (args.size() != arity)
    throw std::invalid_argument("reference: op " + n.name + " takes " + std::to_string(arity) + " operands");
}

void expect_parameters(const graph_node& n, std::size_t count) {
  if (n.axes.size() != count)
    throw std::invalid_argument("reference: op " + n.name + " takes " + std::to_string(count) + " axes");
}

// Comparisons give a mask in the operands' dtype (no gradient), as `(a < b).to(a.dtype)`.
torch::Tensor comparison(const graph_node& n, const torch::Tensor& a, const torch::Tensor& b) {
  torch::Tensor mask;
  if (n.name == "lt") mask = torch::lt(a, b);
  else if (n.name == "le") mask = torch::le(a, b);
  else if (n.name == "gt") mask = torch::gt(a, b);
  else if (n.name == "ge") mask = torch::ge(a, b);
  else if (n.name == "eq") mask = torch::eq(a, b);
  else mask = torch::ne(a, b);
  return mask.to(a.scalar_type());
}

// Reductions over the node's axes, or over every axis when it lists none.
torch::Tensor reduction(const graph_node& n, const torch::Tensor& a) {
  if (a.dim() == 0) return a.clone();  // a reduction of a scalar is the scalar
  std::vector<std::int64_t> dims;
  if (n.axes.empty())
    for (std::int64_t d = 0; d < a.dim(); ++d) dims.push_back(d);
  else
    dims = signed_extents(n.axes);
  if (n.name == "sum") return torch::sum(a, dims, n.keepdims);
  if (n.name == "mean") return torch::mean(a, dims, n.keepdims);
  if (n.name == "amax") return torch::amax(a, dims, n.keepdims);
  return torch::amin(a, dims, n.keepdims);
}

torch::Tensor apply_tensor_op(const graph_node& n, const std::vector<torch::Tensor>& args) {
  static const std::unordered_map<std::string_view, int> kinds{
      {"lt", 0},   {"le", 0},     {"gt", 0},   {"ge", 0},        {"eq", 0},        {"ne", 0},
      {"where", 1}, {"sum", 2},   {"mean", 2}, {"amax", 2},      {"amin", 2},      {"matmul", 3},
      {"transpose", 4}, {"reshape", 5}, {"broadcast_to", 6}, {"slice", 7}, {"concatenate", 8}, {"flip", 9}, {"take", 10}};
  const auto kind = kinds.find(n.name);
  if (kind == kinds.end()) throw std::invalid_argument("reference: unknown op " + n.name);
  switch (kind->second) {
    case 0:
      expect_arity(n, args, 2);
      return comparison(n, args[0], args[1]);
    case 1:
      expect_arity(n, args, 3);
      return torch::where(args[0] != 0, args[1], args[2]);
    case 2:
      expect_arity(n, args, 1);
      return reduction(n, args[0]);
    case 3:
      expect_arity(n, args, 2);
      return torch::matmul(args[0], args[1]);
    case 4:
      expect_arity(n, args, 1);
      expect_parameters(n, 2);
      return torch::transpose(args[0], static_cast<std::int64_t>(n.axes[0]), static_cast<std::int64_t>(n.axes[1]));
    case 5:
      expect_arity(n, args, 1);
      return torch::reshape(args[0], signed_extents(n.shape));
    case 6:
      expect_arity(n, args, 1);
      return torch::broadcast_to(args[0], signed_extents(n.shape));
    case 7:
      expect_arity(n, args, 1);
      expect_parameters(n, 4);  // axis, begin, end (tl::to_end: the axis' end), step
      return args[0].slice(static_cast<std::int64_t>(n.axes[0]), static_cast<std::int64_t>(n.axes[1]),
                           n.axes[2] == std::numeric_limits<std::size_t>::max() ? std::numeric_limits<std::int64_t>::max()
                                                   : static_cast<std::int64_t>(n.axes[2]),
                           static_cast<std::int64_t>(n.axes[3]));
    case 9:
      expect_arity(n, args, 1);
      return torch::flip(args[0], signed_extents(n.axes));
    case 10:
      expect_arity(n, args, 2);
      expect_parameters(n, 1);
      return torch::index_select(args[0], static_cast<std::int64_t>(n.axes[0]), args[1].to(torch::kLong));
    default:
      if (args.size() < 2) throw std::invalid_argument("reference: op concatenate takes two operands or more");
      expect_parameters(n, 1);
      return torch::cat(args, static_cast<std::int64_t>(n.axes[0]));
  }
}

torch::Tensor apply_op(const graph_node& n, const std::vector<torch::Tensor>& values) {
  std::vector<torch::Tensor> args;
  for (std::size_t k : n.operands) {
    if (k >= values.size()) throw std::invalid_argument("reference: op " + n.name + " uses a later node");
    args.push_back(values[k]);
  }
  if (const auto u = unary_ops().find(n.name); u != unary_ops().end()) {
    if (args.size() != 1) throw std::invalid_argument("reference: op " + n.name + " takes one operand");
    return u->second(args[0]);
  }
  if (const auto b = binary_ops().find(n.name); b != binary_ops().end()) {
    if (args.size() != 2) throw std::invalid_argument("reference: op " + n.name + " takes two operands");
    return b->second(args[0], args[1]);
  }
  return apply_tensor_op(n, args);
}

}  // namespace

namespace {

evaluation evaluate_scalar(const graph& g, const std::map<std::string, double>& bindings,
                           const std::map<std::string, double>* direction) {
  if (g.nodes.empty()) throw std::invalid_argument("reference: empty graph");
  const auto options = torch::TensorOptions().dtype(g.type == dtype::float32 ? torch::kFloat32 : torch::kFloat64);
  std::vector<torch::Tensor> values;
  std::map<std::string, torch::Tensor> params;
  for (const graph_node& n : g.nodes) {
    switch (n.kind) {
      case node_kind::op:
        values.push_back(apply_op(n, values));
        break;
      case node_kind::constant:
        values.push_back(torch::scalar_tensor(n.value, options));
        break;
      case node_kind::input:
      case node_kind::param: {
        const auto bound = bindings.find(n.name);
        if (bound == bindings.end()) throw std::invalid_argument("reference: no binding for leaf " + n.name);
        const bool trainable = n.kind == node_kind::param;
        if (trainable && params.count(n.name)) {
          values.push_back(params.at(n.name));
          break;
        }
        values.push_back(torch::scalar_tensor(bound->second, options.requires_grad(trainable)));
        if (trainable) params.emplace(n.name, values.back());
        break;
      }
    }
  }
  const torch::Tensor& root = values.back();
  if (root.dim() != 0) throw std::invalid_argument("reference: the root is not a scalar");
  evaluation out;
  out.value = root.item<double>();
  if (!root.requires_grad()) return out;
  std::vector<std::string> names;
  std::vector<torch::Tensor> leaves;
  for (const auto& [name, leaf] : params) {
    names.push_back(name);
    leaves.push_back(leaf);
  }
  const std::vector<torch::Tensor> grads =
      torch::autograd::grad({root}, leaves, {}, /*retain_graph=*/true, /*create_graph=*/direction != nullptr,
                            /*allow_unused=*/true);
  torch::Tensor directional = torch::zeros({}, options);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (!grads[i].defined()) continue;
    out.gradients.emplace(names[i], grads[i].item<double>());
    if (direction) directional = directional + grads[i] * direction->at(names[i]);
  }
  if (!direction) return out;
  std::vector<torch::Tensor> second;
  if (directional.requires_grad())
    second = torch::autograd::grad({directional}, leaves, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                   /*allow_unused=*/true);
  for (std::size_t i = 0; i < leaves.size(); ++i)
    out.hvp.emplace(names[i], i < second.size() && second[i].defined() ? second[i].item<double>() : 0.0);
  return out;
}

}  // namespace

evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings) {
  return evaluate_scalar(g, bindings, nullptr);
}

evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings,
                    const std::map<std::string, double>& direction) {
  return evaluate_scalar(g, bindings, &direction);
}

namespace {

torch::Tensor from_data(const tensor& t, torch::ScalarType type) {
  std::size_t count = 1;
  for (std::size_t e : t.shape) count *= e;
  if (count != t.data.size()) throw std::invalid_argument("reference: tensor data does not fill its extents");
  auto data = torch::tensor(t.data, torch::TensorOptions().dtype(torch::kFloat64));
  return data.reshape(signed_extents(t.shape)).to(type).clone();
}

tensor to_data(const torch::Tensor& t) {
  // Some double-backward formulas return an efficient zero tensor, which has no storage.
  const torch::Tensor d = t._is_zerotensor() ? torch::zeros(t.sizes(), torch::TensorOptions().dtype(torch::kFloat64))
                                             : t.detach().to(torch::kFloat64).contiguous();
  tensor out;
  for (std::int64_t e : d.sizes()) out.shape.push_back(static_cast<std::size_t>(e));
  out.data.assign(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
  return out;
}

void expect_extents(const torch::Tensor& t, const std::vector<std::size_t>& shape, const std::string& what) {
  if (t.sizes().vec() != signed_extents(shape)) {
    std::string actual, expected;
    for (std::int64_t e : t.sizes()) actual += std::to_string(e) + " ";
    for (std::size_t e : shape) expected += std::to_string(e) + " ";
    throw std::invalid_argument("reference: " + what + " has extents [ " + actual + "], expected [ " + expected + "]");
  }
}

}  // namespace

namespace {

tensor_evaluation evaluate_tensors_along(const graph& g, const std::map<std::string, tensor>& bindings,
                                         const tensor* seed, const std::map<std::string, tensor>* direction) {
  if (g.nodes.empty()) throw std::invalid_argument("reference: empty graph");
  const torch::ScalarType type = g.type == dtype::float32 ? torch::kFloat32 : torch::kFloat64;
  const auto options = torch::TensorOptions().dtype(type);
  std::vector<torch::Tensor> values;
  std::map<std::string, torch::Tensor> leaves;
  std::map<std::string, torch::Tensor> params;
  for (const graph_node& n : g.nodes) {
    switch (n.kind) {
      case node_kind::op:
        values.push_back(apply_op(n, values));
        expect_extents(values.back(), n.shape, "op " + n.name);
        break;
      case node_kind::constant:
        values.push_back(torch::scalar_tensor(n.value, options));
        break;
      case node_kind::input:
      case node_kind::param: {
        if (const auto seen = leaves.find(n.name); seen != leaves.end()) {
          values.push_back(seen->second);
          break;
        }
        const auto bound = bindings.find(n.name);
        if (bound == bindings.end()) throw std::invalid_argument("reference: no binding for leaf " + n.name);
        torch::Tensor leaf = from_data(bound->second, type);
        expect_extents(leaf, n.shape, "leaf " + n.name);
        if (n.kind == node_kind::param) {
          leaf.requires_grad_(true);
          params.emplace(n.name, leaf);
        }
        leaves.emplace(n.name, leaf);
        values.push_back(leaf);
        break;
      }
    }
  }
  const torch::Tensor& root = values.back();
  if (seed == nullptr && root.dim() != 0)
    throw std::invalid_argument("reference: the root is not a scalar and no seed gradient is given");
  tensor_evaluation out;
  out.value = to_data(root);
  torch::Tensor s = torch::ones_like(root);
  if (seed != nullptr) {
    s = from_data(*seed, type);
    std::vector<std::size_t> extents;
    for (std::int64_t e : root.sizes()) extents.push_back(static_cast<std::size_t>(e));
    expect_extents(s, extents, "the seed gradient");
  }
  if (direction == nullptr) {
    if (root.requires_grad()) root.backward(s);
    for (const auto& [name, leaf] : params)
      out.gradients.emplace(name, to_data(leaf.grad().defined() ? leaf.grad() : torch::zeros_like(leaf)));
    return out;
  }
  std::vector<torch::Tensor> leaves_in_order;
  std::vector<std::string> names;
  for (const auto& [name, leaf] : params) {
    names.push_back(name);
    leaves_in_order.push_back(leaf);
  }
  std::vector<torch::Tensor> first(leaves_in_order.size());
  if (root.requires_grad() && !leaves_in_order.empty())
    first = torch::autograd::grad({root}, leaves_in_order, {s}, /*retain_graph=*/true, /*create_graph=*/true,
                                  /*allow_unused=*/true);
  torch::Tensor directional = torch::zeros({}, torch::TensorOptions().dtype(type));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto v = direction->find(names[i]);
    if (v == direction->end()) throw std::invalid_argument("reference: no direction for param " + names[i]);
    if (first[i].defined()) directional = directional + (first[i] * from_data(v->second, type)).sum();
  }
  std::vector<torch::Tensor> second(leaves_in_order.size());
  if (directional.requires_grad())
    second = torch::autograd::grad({directional}, leaves_in_order, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                   /*allow_unused=*/true);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const torch::Tensor zero = torch::zeros_like(leaves_in_order[i]);
    out.gradients.emplace(names[i], to_data(first[i].defined() ? first[i].detach() : zero));
    out.hvp.emplace(names[i], to_data(second[i].defined() ? second[i] : zero));
  }
  return out;
}

}  // namespace

tensor_evaluation evaluate_tensors(const graph& g, const std::map<std::string, tensor>& bindings, const tensor* seed) {
  return evaluate_tensors_along(g, bindings, seed, nullptr);
}

tensor_evaluation evaluate_tensors(const graph& g, const std::map<std::string, tensor>& bindings, const tensor* seed,
                                   const std::map<std::string, tensor>& direction) {
  return evaluate_tensors_along(g, bindings, seed, &direction);
}

}  // namespace tapeless::reference
