// Asking an expression what it is: is_leaf, requires_grad, grad_fn, node_count, describe, to_dot.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cctype>
#include <string_view>
#include <string>
#include <tapeless/graph/print.hpp>
#include <tapeless/tapeless.hpp>
#include <unistd.h>

namespace tl = tapeless;

namespace {
constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto w1 = tl::param<"fc1.weight", tl::shape<8, 4>, float>;
constexpr auto b1 = tl::param<"fc1.bias", tl::shape<8>, float>;
constexpr auto hidden = tl::relu(tl::matmul(x, tl::transpose(w1)) + b1);

constexpr auto i = tl::param<"i">;
constexpr auto h = tl::param<"h">;
constexpr auto k = (i + h) * i;  // seed 002

// DOT lines of the forms "  n<id> [label=..." (nodes) and "  n<id> -> n<id>..." (edges), read
// by hand (std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build).
struct dot_line {
  bool node = false, edge = false;
  long from = -1;
};

dot_line parse_dot_line(std::string_view line) {
  dot_line d;
  if (line.substr(0, 3) != "  n") return d;
  std::size_t p = 3, start = 3;
  while (p < line.size() && std::isdigit(static_cast<unsigned char>(line[p]))) ++p;
  if (p == start) return d;
  d.from = std::stol(std::string(line.substr(start, p - start)));
  const std::string_view rest = line.substr(p);
  if (rest.substr(0, 8) == " [label=") d.node = true;
  if (rest.substr(0, 5) == " -> n" && rest.size() > 5 && std::isdigit(static_cast<unsigned char>(rest[5]))) d.edge = true;
  return d;
}

/// Number of node lines, of edge lines, or of edge lines from node `from`.
std::size_t count_dot(const std::string& text, bool nodes, long from = -1) {
  std::size_t n = 0, begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    const dot_line d = parse_dot_line(std::string_view(text).substr(begin, end - begin));
    if (nodes ? d.node : (d.edge && (from < 0 || d.from == from))) ++n;
    begin = end + 1;
  }
  return n;
}

std::size_t count_text(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool graphviz_available() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

// Runs `dot -Tsvg` on the text; true when graphviz accepts it and writes an SVG.
bool graphviz_accepts(const std::string& dot, const std::string& stem) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto base = stem + "_" + std::to_string(::getpid());
  const auto source = dir / (base + ".dot");
  const auto svg = dir / (base + ".svg");
  std::ofstream(source) << dot;
  const std::string command = "dot -Tsvg '" + source.string() + "' -o '" + svg.string() + "' 2>/dev/null";
  const bool ok = std::system(command.c_str()) == 0;
  std::ifstream in(svg);
  const std::string rendered{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::filesystem::remove(source);
  std::filesystem::remove(svg);
  return ok && rendered.find("<svg") != std::string::npos;
}
}  // namespace

TEST_CASE("is_leaf, requires_grad, grad_fn and node_count are answered at compile time", "[graph][print]") {
  STATIC_REQUIRE(tl::is_leaf(x));
  STATIC_REQUIRE(tl::is_leaf(w1));
  STATIC_REQUIRE(!tl::is_leaf(hidden));
  STATIC_REQUIRE(!tl::is_leaf(tl::transpose(w1)));

  STATIC_REQUIRE(!tl::requires_grad(x));
  STATIC_REQUIRE(tl::requires_grad(w1));
  STATIC_REQUIRE(tl::requires_grad(hidden));
  STATIC_REQUIRE(!tl::requires_grad(tl::square(x)));  // an op over data only
  STATIC_REQUIRE(!tl::requires_grad(tl::lit<2.0>));
  STATIC_REQUIRE(!tl::requires_grad(tl::detach(tl::exp(w1))));  // detach cuts the gradient off
  STATIC_REQUIRE(tl::requires_grad(w1 * tl::detach(w1)));

  STATIC_REQUIRE(tl::grad_fn(hidden) == "ReluBackward");
  STATIC_REQUIRE(tl::grad_fn(tl::matmul(x, tl::transpose(w1))) == "MatmulBackward");
  STATIC_REQUIRE(tl::grad_fn(k) == "MulBackward");
  STATIC_REQUIRE(tl::grad_fn(tl::mean(tl::square(w1))) == "MeanBackward");
  STATIC_REQUIRE(tl::grad_fn(tl::broadcast_to<3, 8>(b1)) == "BroadcastToBackward");
  STATIC_REQUIRE(tl::grad_fn(w1).empty());            // a leaf
  STATIC_REQUIRE(tl::grad_fn(tl::square(x)).empty());  // as PyTorch: no grad_fn without requires_grad
  STATIC_REQUIRE(tl::grad_fn(tl::detach(w1)).empty());

  STATIC_REQUIRE(tl::node_count(x) == 1);
  STATIC_REQUIRE(tl::node_count(k) == 4);
  STATIC_REQUIRE(tl::node_count(hidden) == 7);
  STATIC_REQUIRE(tl::node_count(i * 2.0 + i * 2.0) == 6);  // constants are never merged
}

TEST_CASE("describe lists every unique node once, in topological order", "[graph][print]") {
  CHECK(tl::describe(hidden) ==
        "%0 = input \"x\" [10, 4] float32\n"
        "%1 = param \"fc1.weight\" [8, 4] float32 (requires_grad)\n"
        "%2 = transpose(%1) [4, 8] (grad_fn=TransposeBackward)\n"
        "%3 = matmul(%0, %2) [10, 8] (grad_fn=MatmulBackward)\n"
        "%4 = param \"fc1.bias\" [8] float32 (requires_grad)\n"
        "%5 = add(%3, %4) [10, 8] (grad_fn=AddBackward)\n"
        "%6 = relu(%5) [10, 8] (grad_fn=ReluBackward)\n"
        "output: %6 [10, 8] float32 (requires_grad)\n");
}

TEST_CASE("describe prints a shared subexpression once and refers to it by id", "[graph][print]") {
  CHECK(tl::describe(k) ==
        "%0 = param \"i\" [] float64 (requires_grad)\n"
        "%1 = param \"h\" [] float64 (requires_grad)\n"
        "%2 = add(%0, %1) [] (grad_fn=AddBackward)\n"
        "%3 = mul(%2, %0) [] (grad_fn=MulBackward)\n"
        "output: %3 [] float64 (requires_grad)\n");
  CHECK(tl::describe(i * i) ==
        "%0 = param \"i\" [] float64 (requires_grad)\n"
        "%1 = mul(%0, %0) [] (grad_fn=MulBackward)\n"
        "output: %1 [] float64 (requires_grad)\n");
}

TEST_CASE("describe prints constant and literal values, dynamic extents as ?, detach without grad_fn", "[graph][print]") {
  constexpr auto a = tl::input<"a">;
  constexpr auto z = tl::param<"z">;
  // Two constants of one type with different values stay two nodes, each with its own value.
  const double scale = 0.1;
  CHECK(tl::describe(a * 2.5 + a * scale - tl::lit<0.25> / z) ==
        "%0 = input \"a\" [] float64\n"
        "%1 = constant 2.5 float64\n"
        "%2 = mul(%0, %1) []\n"
        "%3 = constant 0.1 float64\n"
        "%4 = mul(%0, %3) []\n"
        "%5 = add(%2, %4) []\n"
        "%6 = literal 0.25 float64\n"
        "%7 = param \"z\" [] float64 (requires_grad)\n"
        "%8 = div(%6, %7) [] (grad_fn=DivBackward)\n"
        "%9 = sub(%5, %8) [] (grad_fn=SubBackward)\n"
        "output: %9 [] float64 (requires_grad)\n");

  constexpr auto batch = tl::input<"batch", tl::shape<tl::dynamic, 4>, float>;
  CHECK(tl::describe(tl::sum<1>(tl::matmul(batch, tl::transpose(w1)) * 0.5f)) ==
        "%0 = input \"batch\" [?, 4] float32\n"
        "%1 = param \"fc1.weight\" [8, 4] float32 (requires_grad)\n"
        "%2 = transpose(%1) [4, 8] (grad_fn=TransposeBackward)\n"
        "%3 = matmul(%0, %2) [?, 8] (grad_fn=MatmulBackward)\n"
        "%4 = constant 0.5 float32\n"
        "%5 = mul(%3, %4) [?, 8] (grad_fn=MulBackward)\n"
        "%6 = sum(%5) [?] (grad_fn=SumBackward)\n"
        "output: %6 [?] float32 (requires_grad)\n");

  CHECK(tl::describe(w1 * tl::detach(tl::exp(w1))) ==
        "%0 = param \"fc1.weight\" [8, 4] float32 (requires_grad)\n"
        "%1 = exp(%0) [8, 4] (grad_fn=ExpBackward)\n"
        "%2 = detach(%1) [8, 4]\n"
        "%3 = mul(%0, %2) [8, 4] (grad_fn=MulBackward)\n"
        "output: %3 [8, 4] float32 (requires_grad)\n");

  CHECK(tl::describe(x) == "%0 = input \"x\" [10, 4] float32\noutput: %0 [10, 4] float32\n");
}

TEST_CASE("to_dot draws one DOT node per unique node and one edge per operand", "[graph][print]") {
  const std::string dot = tl::to_dot(hidden);
  CHECK(dot.rfind("digraph \"tapeless\" {\n", 0) == 0);
  CHECK(dot.substr(dot.size() - 2) == "}\n");
  CHECK(count_dot(dot, true) == 7);
  CHECK(count_dot(dot, false) == 6);
  CHECK(dot.find("  n0 [label=\"x\\n[10, 4] float32\", shape=box, style=filled, fillcolor=\"#eeeeee\"];\n") != std::string::npos);
  CHECK(dot.find("  n1 [label=\"fc1.weight\\n[8, 4] float32\", shape=box, style=\"filled,bold\", fillcolor=\"#9ecae1\"];\n") !=
        std::string::npos);
  CHECK(dot.find("  n3 [label=\"matmul\\n[10, 8]\", shape=ellipse];\n") != std::string::npos);
  // The output, marked with a double border.
  CHECK(dot.find("  n6 [label=\"relu\\n[10, 8]\", shape=ellipse, style=filled, fillcolor=\"#c7e9c0\", peripheries=2];\n") !=
        std::string::npos);
  CHECK(count_text(dot, "peripheries=2") == 1);
  // matmul's operands are numbered; add's are not (it is commutative).
  CHECK(dot.find("  n0 -> n3 [label=\"0\"];\n") != std::string::npos);
  CHECK(dot.find("  n2 -> n3 [label=\"1\"];\n") != std::string::npos);
  CHECK(dot.find("  n3 -> n5;\n") != std::string::npos);
  CHECK(dot.find("  n4 -> n5;\n") != std::string::npos);

  // A shared node is drawn once, with an edge for every use.
  const std::string shared = tl::to_dot(k);
  CHECK(count_dot(shared, true) == 4);
  CHECK(count_dot(shared, false, 0) == 2);
  CHECK(count_dot(shared, false) == 4);
}

TEST_CASE("to_dot options and escaping", "[graph][print]") {
  const std::string dot = tl::to_dot(k, {.graph_name = "seed \"002\"", .left_to_right = true, .show_ids = true});
  CHECK(dot.rfind("digraph \"seed \\\"002\\\"\" {\n  rankdir=LR;\n", 0) == 0);
  CHECK(dot.find("  n2 [label=\"%2 add\\n[]\", shape=ellipse];\n") != std::string::npos);
  CHECK(tl::to_dot(k).find("rankdir=TB;") != std::string::npos);

  constexpr auto quoted = tl::input<"say \"hi\"\\">;
  const std::string escaped = tl::to_dot(tl::exp(quoted) * 3.0);
  CHECK(escaped.find("  n0 [label=\"say \\\"hi\\\"\\\\\\n[] float64\"") != std::string::npos);
  CHECK(escaped.find("  n2 [label=\"3\", shape=box, style=dashed];\n") != std::string::npos);
}

TEST_CASE("graphviz accepts the DOT output", "[graph][print]") {
  if (!graphviz_available()) {
    WARN("graphviz (dot) is not installed: the DOT output was not rendered");
    return;
  }
  constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;
  constexpr auto w2 = tl::param<"fc2.weight", tl::shape<1, 8>, float>;
  constexpr auto b2 = tl::param<"fc2.bias", tl::shape<1>, float>;
  constexpr auto loss = tl::mean(tl::square(tl::matmul(hidden, tl::transpose(w2)) + b2 - y));
  CHECK(graphviz_accepts(tl::to_dot(loss), "tapeless_print_loss"));
  CHECK(graphviz_accepts(tl::to_dot(tl::exp(tl::input<"say \"hi\"\\">) * 3.0, {.graph_name = "a \"b\"", .left_to_right = true}),
                         "tapeless_print_escaped"));
  // The check itself can fail: graphviz rejects text that is not DOT.
  CHECK_FALSE(graphviz_accepts("digraph { n0 -> }", "tapeless_print_invalid"));
}
