#pragma once
// Asking an expression what it is: PyTorch's is_leaf, requires_grad and grad_fn as compile-time
// queries, a readable listing of the graph (describe) and a Graphviz export (to_dot).
// Everything is read from the node descriptors and the compile-time walk (analysis.hpp), so no
// op takes part. Two things are not in the descriptors: a literal's value lives in its type
// (read through node_type_t, for literal nodes only) and a constant's value in the expression
// object (read by a walk over the operands that hold data, the same walk evaluation makes).
#include <array>
#include <charconv>
#include <cstddef>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/expression.hpp"
#include "../core/shape.hpp"
#include "analysis.hpp"
#include "node_type.hpp"

namespace tapeless {

namespace graph {

/// Which nodes need a gradient (PyTorch's requires_grad): every param, and every op with such an
/// operand, except an op that stops the gradient.
template <std::size_t N>
constexpr std::array<bool, N> gradient_flags(const graph_table<N>& g) {
  std::array<bool, N> flags{};
  for (std::size_t i = 0; i < N; ++i) {
    const node_descriptor& d = *g.nodes[i].descriptor;
    if (d.kind == node_kind::param) flags[i] = true;
    if (d.kind != node_kind::op || d.stops_gradient) continue;
    for (std::size_t k = 0; k < g.nodes[i].arity; ++k) flags[i] = flags[i] || flags[g.nodes[i].operands[k]];
  }
  return flags;
}

template <class E>
inline constexpr std::array<bool, node_count_v<E>> gradient_flags_v = gradient_flags(graph_v<E>);

namespace detail {

template <class Out>
constexpr Out write_backward_name(std::string_view op, Out out) {
  bool word_start = true;
  for (char c : op) {
    if (c == '_') {
      word_start = true;
      continue;
    }
    *out++ = word_start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    word_start = false;
  }
  for (char c : std::string_view{"Backward"}) *out++ = c;
  return out;
}

constexpr std::size_t backward_name_size(std::string_view op) {
  std::size_t n = std::string_view{"Backward"}.size();
  for (char c : op) n += c != '_';
  return n;
}

template <std::string_view const& Op>
struct backward_name_text {
  static constexpr std::array<char, backward_name_size(Op)> text = [] {
    std::array<char, backward_name_size(Op)> t{};
    write_backward_name(Op, t.begin());
    return t;
  }();
  static constexpr std::string_view value{text.data(), text.size()};
};

}  // namespace detail

/// The name of an op's backward function in PyTorch's style: the op's name in CamelCase and
/// "Backward" (matmul: MatmulBackward, broadcast_to: BroadcastToBackward).
inline std::string backward_name(std::string_view op) {
  std::string text(detail::backward_name_size(op), '\0');
  detail::write_backward_name(op, text.begin());
  return text;
}

namespace detail {

template <dtype T>
std::string format_number(T v) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

inline std::string format_extents(const node_descriptor& d) {
  std::string text = "[";
  for (std::size_t a = 0; a < d.rank; ++a) {
    if (a > 0) text += ", ";
    text += d.extents[a] == dynamic ? std::string{"?"} : std::to_string(d.extents[a]);
  }
  return text + "]";
}

// Constant values in the order the walk meets constant nodes: it descends into every operand
// that holds data, left to right, and constants live only there. Only nodes that hold data are
// visited, as evaluation visits them.
template <class E>
void collect_constants(const E& e, std::vector<std::string>& out);

template <std::size_t K, class E>
void collect_operand_constants(const E& e, std::vector<std::string>& out) {
  if constexpr (E::template operand_type<K>::positional) collect_constants(e.template operand<K>(), out);
}

template <class E>
void collect_constants(const E& e, std::vector<std::string>& out) {
  if constexpr (is_constant_v<E>) {
    out.push_back(format_number(e.value));
  } else if constexpr (is_node_v<E>) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (collect_operand_constants<K>(e, out), ...);
    }(std::make_index_sequence<E::arity>{});
  }
}

template <class E>
inline constexpr auto literal_ids = [] {
  constexpr auto& g = graph_v<E>;
  constexpr std::size_t count = g.count(node_kind::literal);
  std::array<std::size_t, count> ids{};
  for (std::size_t i = 0, n = 0; i < g.size(); ++i)
    if (g.nodes[i].descriptor->kind == node_kind::literal) ids[n++] = i;
  return ids;
}();

// What the graph of E says about each node, gathered once for the printers below.
struct graph_listing {
  const node_record* nodes;
  std::size_t size;
  const bool* requires_grad;
  std::vector<std::string> values;  ///< the value of each constant or literal node, else empty
};

template <class E>
graph_listing listing(const E& e) {
  constexpr auto& g = graph_v<E>;
  graph_listing out{g.nodes.data(), g.size(), gradient_flags_v<E>.data(), std::vector<std::string>(g.size())};
  if constexpr (E::positional) {
    std::vector<std::string> constants;
    collect_constants(e, constants);
    std::size_t next = 0;
    for (std::size_t i = 0; i < g.size(); ++i)
      if (g.nodes[i].descriptor->kind == node_kind::constant) out.values[i] = constants.at(next++);
  }
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    ((out.values[literal_ids<E>[J]] = format_number(node_type_t<E, literal_ids<E>[J]>::value)), ...);
  }(std::make_index_sequence<literal_ids<E>.size()>{});
  return out;
}

inline std::string describe_listing(const graph_listing& l) {
  std::string text;
  for (std::size_t i = 0; i < l.size; ++i) {
    const node_descriptor& d = *l.nodes[i].descriptor;
    text += '%';
    text += std::to_string(i);
    text += " = ";
    switch (d.kind) {
      case node_kind::input:
      case node_kind::param:
        text += (d.kind == node_kind::input ? "input \"" : "param \"") + std::string(d.name) + "\" " +
                format_extents(d) + " " + std::string(d.dtype);
        if (l.requires_grad[i]) text += " (requires_grad)";
        break;
      case node_kind::constant:
      case node_kind::literal:
        text += std::string(d.name) + " " + l.values[i] + " " + std::string(d.dtype);
        break;
      case node_kind::op:
        text += std::string(d.name) + "(";
        for (std::size_t k = 0; k < d.arity; ++k) {
          text += k > 0 ? ", %" : "%";
          text += std::to_string(l.nodes[i].operands[k]);
        }
        text += ") " + format_extents(d);
        if (l.requires_grad[i]) text += " (grad_fn=" + backward_name(d.name) + ")";
        break;
    }
    text += "\n";
  }
  const std::size_t root = l.size - 1;
  const node_descriptor& r = *l.nodes[root].descriptor;
  text += "output: %";
  text += std::to_string(root);
  text += " " + format_extents(r) + " " + std::string(r.dtype);
  if (l.requires_grad[root]) text += " (requires_grad)";
  return text + "\n";
}

inline std::string dot_quoted(std::string_view s) {
  std::string text = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  return text + "\"";
}

// Ops whose operands may be swapped; their edges carry no operand position.
constexpr bool commutative(std::string_view op) {
  return op == "add" || op == "mul" || op == "max" || op == "min" || op == "eq" || op == "ne";
}

}  // namespace detail

}  // namespace graph

/// Options for to_dot.
struct dot_options {
  std::string graph_name = "tapeless";
  bool left_to_right = false;  ///< lay the graph out left to right (rankdir=LR) instead of top down
  bool show_ids = false;       ///< prefix each label with the node's id in describe(), "%3"
};

namespace graph::detail {

inline std::string dot_listing(const graph_listing& l, const dot_options& options) {
  std::string text = "digraph " + dot_quoted(options.graph_name) + " {\n";
  text += options.left_to_right ? "  rankdir=LR;\n" : "  rankdir=TB;\n";
  text += "  node [fontname=\"Helvetica\", fontsize=11];\n";
  text += "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
  const std::size_t root = l.size - 1;
  for (std::size_t i = 0; i < l.size; ++i) {
    const node_descriptor& d = *l.nodes[i].descriptor;
    std::string label;
    if (options.show_ids) {
      label += '%';
      label += std::to_string(i);
      label += ' ';
    }
    std::string attributes;
    switch (d.kind) {
      case node_kind::input:
      case node_kind::param:
        label += std::string(d.name) + "\n" + format_extents(d) + " " + std::string(d.dtype);
        attributes = d.kind == node_kind::param ? "shape=box, style=\"filled,bold\", fillcolor=\"#9ecae1\""
                                                : "shape=box, style=filled, fillcolor=\"#eeeeee\"";
        break;
      case node_kind::constant:
      case node_kind::literal:
        label += l.values[i];
        attributes = "shape=box, style=dashed";
        break;
      case node_kind::op:
        label += std::string(d.name) + "\n" + format_extents(d);
        attributes = i == root ? "shape=ellipse, style=filled, fillcolor=\"#c7e9c0\"" : "shape=ellipse";
        break;
    }
    if (i == root) attributes += ", peripheries=2";
    // DOT reads "\n" inside a quoted label as a line break: escape everything else, then restore it.
    std::string quoted = dot_quoted(label);
    for (std::size_t p = 0; (p = quoted.find('\n', p)) != std::string::npos; p += 2) quoted.replace(p, 1, "\\n");
    text += "  n";
    text += std::to_string(i);
    text += " [label=" + quoted + ", " + attributes + "];\n";
  }
  for (std::size_t i = 0; i < l.size; ++i) {
    const node_descriptor& d = *l.nodes[i].descriptor;
    const bool positions = d.arity >= 2 && !commutative(d.name);
    for (std::size_t k = 0; k < d.arity; ++k) {
      text += "  n";
      text += std::to_string(l.nodes[i].operands[k]);
      text += " -> n";
      text += std::to_string(i);
      if (positions) {
        text += " [label=\"";
        text += std::to_string(k);
        text += "\"];\n";
      } else {
        text += ";\n";
      }
    }
  }
  return text + "}\n";
}

}  // namespace graph::detail

// The queries are function objects, as the ops are: a user's own unqualified `describe(e)` or
// `is_leaf(e)` is never hijacked by argument-dependent lookup of these.
namespace graph::detail {

struct is_leaf_fn {
  /// Whether `e` is a leaf of the graph (not the result of an op): an input, a param, a constant
  /// or a literal (PyTorch: tensor.is_leaf).
  template <expression E>
  [[nodiscard]] constexpr bool operator()(const E&) const noexcept {
    return !is_node_v<E>;
  }
};

struct requires_grad_fn {
  /// Whether a gradient flows to `e`: a param, or an op with a param below it that no detach
  /// cuts off (PyTorch: tensor.requires_grad).
  template <expression E>
  [[nodiscard]] constexpr bool operator()(const E&) const noexcept {
    return gradient_flags_v<E>[graph_v<E>.root()];
  }
};

struct grad_fn_fn {
  /// The name of the backward function that produced `e` ("MatmulBackward" for a matmul), or an
  /// empty view for a leaf and for an op that needs no gradient (PyTorch: tensor.grad_fn).
  template <expression E>
  [[nodiscard]] constexpr std::string_view operator()(const E&) const noexcept {
    if constexpr (is_node_v<E>) {
      if constexpr (gradient_flags_v<E>[graph_v<E>.root()]) return backward_name_text<E::op::name>::value;
    }
    return {};
  }
};

struct node_count_fn {
  /// Number of unique nodes of the graph of `e` (a shared subexpression counts once).
  template <expression E>
  [[nodiscard]] constexpr std::size_t operator()(const E&) const noexcept {
    return node_count_v<E>;
  }
};

struct describe_fn {
  /// The graph of `e` as text, one line per unique node in topological order:
  ///   %0 = input "x" [10, 4] float32
  ///   %1 = param "fc1.weight" [8, 4] float32 (requires_grad)
  ///   %2 = transpose(%1) [4, 8] (grad_fn=TransposeBackward)
  /// then a line naming the output. `?` marks a dynamic extent; ops that need a gradient show
  /// their grad_fn.
  template <expression E>
  [[nodiscard]] std::string operator()(const E& e) const {
    return describe_listing(listing(e));
  }
};

struct to_dot_fn {
  /// The graph of `e` as a Graphviz digraph: inputs and params as boxes (params filled blue),
  /// constants as dashed boxes, ops as ellipses labelled with name and extents, edges from
  /// operand to consumer (numbered by operand position where the order matters), and the output
  /// with a double border.
  template <expression E>
  [[nodiscard]] std::string operator()(const E& e, const dot_options& options = {}) const {
    return dot_listing(listing(e), options);
  }
};

struct write_dot_fn {
  /// Writes to_dot(e, options) to the file `path`; throws std::runtime_error if it cannot.
  template <expression E>
  void operator()(const E& e, const std::string& path, const dot_options& options = {}) const {
    std::ofstream out(path);
    out << to_dot_fn{}(e, options);
    if (!out.flush()) throw std::runtime_error("tapeless::write_dot: cannot write the file '" + path + "'");
  }
};

}  // namespace graph::detail

inline constexpr graph::detail::is_leaf_fn is_leaf{};
inline constexpr graph::detail::requires_grad_fn requires_grad{};
inline constexpr graph::detail::grad_fn_fn grad_fn{};
inline constexpr graph::detail::node_count_fn node_count{};
inline constexpr graph::detail::describe_fn describe{};
inline constexpr graph::detail::to_dot_fn to_dot{};
inline constexpr graph::detail::write_dot_fn write_dot{};

}  // namespace tapeless
