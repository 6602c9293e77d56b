// The only file that includes LibTorch.
#include "torch_reference.hpp"

#include <torch/torch.h>

#include <functional>
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
  throw std::invalid_argument("reference: unknown op " + n.name);
}

}  // namespace

evaluation evaluate(const graph& g, const std::map<std::string, double>& bindings) {
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
  if (root.requires_grad()) root.backward();
  for (const auto& [name, leaf] : params)
    if (leaf.grad().defined()) out.gradients.emplace(name, leaf.grad().item<double>());
  return out;
}

}  // namespace tapeless::reference
