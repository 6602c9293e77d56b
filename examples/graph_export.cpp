// Seed 004's SimpleNet (Linear(4, 8), ReLU, Linear(8, 1), MSE) as one expression: what the
// expression says about itself (PyTorch's is_leaf / requires_grad / grad_fn), its graph as
// text, and as a Graphviz file, rendered to PNG when graphviz is installed.
//
//   graph_export [directory]   writes simplenet.dot (and simplenet.png) there, default "."
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <tapeless/graph/print.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {

// nn.Linear(In, Out): y = x W^T + b, with W of shape [Out, In] as PyTorch stores it.
template <tl::fixed_string Name, std::size_t In, std::size_t Out>
constexpr auto linear(const auto& x) {
  constexpr auto weight = tl::param<Name + tl::fixed_string{".weight"}, tl::shape<Out, In>, float>;
  constexpr auto bias = tl::param<Name + tl::fixed_string{".bias"}, tl::shape<Out>, float>;
  return tl::matmul(x, tl::transpose(weight)) + bias;
}

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;
constexpr auto pred = linear<"fc2", 8, 1>(tl::relu(linear<"fc1", 4, 8>(x)));
constexpr auto loss = tl::mean(tl::square(pred - y));

// Single quotes for the shell, so a directory with spaces survives.
std::string shell_quoted(const std::string& s) {
  std::string text = "'";
  for (char c : s) text += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return text + "'";
}

}  // namespace

int main(int argc, char** argv) try {
  const std::filesystem::path directory = argc > 1 ? argv[1] : ".";
  std::cout << std::boolalpha << "loss: is_leaf=" << tl::is_leaf(loss) << ", requires_grad=" << tl::requires_grad(loss)
            << ", grad_fn=" << tl::grad_fn(loss) << "\n";
  std::cout << "x: is_leaf=" << tl::is_leaf(x) << ", requires_grad=" << tl::requires_grad(x) << "\n";
  std::cout << tl::describe(loss);

  const std::filesystem::path dot_file = directory / "simplenet.dot";
  const std::filesystem::path png_file = directory / "simplenet.png";
  tl::write_dot(loss, dot_file.string(), {.graph_name = "SimpleNet"});
  std::cout << "wrote " << dot_file.string() << " (" << tl::node_count(loss) << " nodes)\n";

  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    std::cout << "graphviz not found: install graphviz and run dot -Tpng " << dot_file.string() << " -o "
              << png_file.string() << "\n";
    return 0;
  }
  const std::string command = "dot -Tpng " + shell_quoted(dot_file.string()) + " -o " + shell_quoted(png_file.string());
  if (std::system(command.c_str()) != 0) {
    std::cerr << "graph_export: graphviz could not render " << dot_file.string() << "\n";
    return 1;
  }
  std::cout << "rendered " << png_file.string() << " with graphviz\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "graph_export: " << e.what() << "\n";
  return 1;
}
