// The training layer's activations and layers against LibTorch, in float and double:
// - activations (relu, leaky_relu with slopes 0.01 and 0.2, gelu in its exact erf form, sigmoid,
//   tanh, softmax and log_softmax over the last axis): values and vector-Jacobian products with
//   a random seed gradient, at random points with zeros among them and at ±20, ±100, ±1000, with
//   softmax rows that tie and hold large values; and x * detach(x) against x * x.detach();
// - nn::linear against torch::nn::functional::linear, and a sequential of linear, relu, linear,
//   tanh: outputs and the gradients of the input and of every parameter;
// - PyTorch's semantics of .grad through nn::module and nn::compile: backward accumulates (two
//   calls give exactly twice the gradient, as LibTorch's two backward calls), zero_grad resets,
//   a parameter the expression does not use keeps its .grad; and tl::detach in a network blocks
//   the gradient of everything below it, as .detach() does.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <tapeless/nn.hpp>
#include <tapeless/tapeless.hpp>

#include "nn_checks.hpp"
#include "tensor_checks.hpp"
#include "torch_nn.hpp"

namespace tl = tapeless;
namespace nn = tapeless::nn;
namespace tt = tapeless::testing;
namespace rn = tapeless::reference::nn;
using tapeless::reference::tensor;

namespace {

template <class T>
constexpr tapeless::reference::dtype reference_dtype =
    std::is_same_v<T, float> ? tapeless::reference::dtype::float32 : tapeless::reference::dtype::float64;

// ---- activations -------------------------------------------------------------------------------

constexpr std::size_t rows = 4, cols = 5;
constexpr std::array<std::size_t, 2> extents{rows, cols};

/// The activations, in the order of the parts of the stacked graph.
struct activation_part {
  const char* torch_name;
  double slope;
};
constexpr std::array<activation_part, 9> activation_parts{{{"relu", 0},
                                                           {"leaky_relu", 0.01},
                                                           {"leaky_relu", 0.2},
                                                           {"gelu", 0},
                                                           {"sigmoid", 0},
                                                           {"tanh", 0},
                                                           {"softmax", 0},
                                                           {"log_softmax", 0},
                                                           {"detached_product", 0}}};

template <class T>
struct activations {
  template <tl::fixed_string Name>
  static constexpr auto p = tt::param_of<Name, T, rows, cols>;
  static constexpr auto relu_x = p<"relu_x">;
  static constexpr auto leaky_x = p<"leaky_x">;
  static constexpr auto leaky02_x = p<"leaky02_x">;
  static constexpr auto gelu_x = p<"gelu_x">;
  static constexpr auto sigmoid_x = p<"sigmoid_x">;
  static constexpr auto tanh_x = p<"tanh_x">;
  static constexpr auto softmax_x = p<"softmax_x">;
  static constexpr auto log_softmax_x = p<"log_softmax_x">;
  static constexpr auto detach_x = p<"detach_x">;

  static constexpr auto graph() {
    return tt::stack(nn::relu(relu_x), nn::leaky_relu(leaky_x), nn::leaky_relu(leaky02_x, 0.2), nn::gelu(gelu_x),
                     nn::sigmoid(sigmoid_x), nn::tanh(tanh_x), nn::softmax(softmax_x), nn::log_softmax(log_softmax_x),
                     detach_x * tl::detach(detach_x));
  }
};

/// Random points in [-3, 3] with exact zeros in every part (the kinks of relu and leaky_relu),
/// and a row of ties in each.
template <class T>
std::array<xt::xtensor<T, 2>, 9> random_points(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::array<xt::xtensor<T, 2>, 9> x;
  for (auto& part : x) {
    part = tt::uniform_tensor<T>(extents, engine, -3, 3);
    part(0, 1) = 0;
    part(2, 3) = 0;
    part(3, 0) = part(3, 2) = part(3, 4) = T(1.25);
  }
  return x;
}

/// Saturating points: ±20, ±100, ±1000 and zero for every activation; the softmax rows tie at
/// their largest value, hold values far apart, or are all equal.
template <class T>
std::array<xt::xtensor<T, 2>, 9> extreme_points() {
  const xt::xtensor<T, 2> elementwise{
      {100, -100, 1000, -1000, 0}, {20, -20, 40, -40, 1e-3}, {-1e-3, 5, -5, 8, -8}, {1000, 100, -100, -1000, 20}};
  const xt::xtensor<T, 2> rowwise{{1000, 1000, -1000, 0, 999},
                                  {100, 100, 100, 100, 100},
                                  {-1000, -1000, -999, -1000, -1000},
                                  {0, 1000, -1000, 1000, 5}};
  std::array<xt::xtensor<T, 2>, 9> x;
  for (auto& part : x) part = elementwise;
  x[6] = x[7] = rowwise;
  return x;
}

template <class T>
void check_activations(const std::array<xt::xtensor<T, 2>, 9>& x, std::uint64_t seed, const std::string& what) {
  using A = activations<T>;
  std::mt19937_64 engine(seed);
  std::array<xt::xtensor<T, 2>, 9> seeds;
  for (auto& s : seeds) s = tt::uniform_tensor<T>(extents, engine, -1, 1);
  xt::xtensor<T, 1> stacked_seed = xt::xtensor<T, 1>::from_shape({9 * rows * cols});
  for (std::size_t k = 0; k < 9; ++k)
    std::copy(seeds[k].begin(), seeds[k].end(), stacked_seed.begin() + k * rows * cols);

  auto step = tl::compile(A::graph(), tl::wrt(A::relu_x, A::leaky_x, A::leaky02_x, A::gelu_x, A::sigmoid_x, A::tanh_x,
                                              A::softmax_x, A::log_softmax_x, A::detach_x));
  const auto r =
      step(A::relu_x = x[0], A::leaky_x = x[1], A::leaky02_x = x[2], A::gelu_x = x[3], A::sigmoid_x = x[4],
           A::tanh_x = x[5], A::softmax_x = x[6], A::log_softmax_x = x[7], A::detach_x = x[8], tl::seed(stacked_seed));
  const tensor values = tt::as_tensor(r.value());
  const std::array<tensor, 9> grads{
      tt::as_tensor(r.grad(A::relu_x)),    tt::as_tensor(r.grad(A::leaky_x)),       tt::as_tensor(r.grad(A::leaky02_x)),
      tt::as_tensor(r.grad(A::gelu_x)),    tt::as_tensor(r.grad(A::sigmoid_x)),     tt::as_tensor(r.grad(A::tanh_x)),
      tt::as_tensor(r.grad(A::softmax_x)), tt::as_tensor(r.grad(A::log_softmax_x)), tt::as_tensor(r.grad(A::detach_x))};
  INFO(what << ", " << tl::dtype_name<T>);
  for (std::size_t k = 0; k < 9; ++k) {
    const activation_part& a = activation_parts[k];
    const rn::activation_result torch =
        rn::activation(a.torch_name, reference_dtype<T>, tt::to_reference(x[k]), tt::to_reference(seeds[k]), a.slope);
    const std::string name = std::string(a.torch_name) + (a.slope != 0 ? " slope " + std::to_string(a.slope) : "");
    tt::check_elements(tt::part(values, k * rows * cols, {rows * cols}), tensor{{rows * cols}, torch.value.data},
                       tt::nn_tolerance<T>, name + ": value", true);
    tt::check_elements(grads[k], torch.grad, tt::nn_tolerance<T>, name + ": vector-Jacobian product", true);
  }
}

// ---- linear and sequential ---------------------------------------------------------------------

constexpr std::size_t batch = 6;

/// A LibTorch layer from the values of a tapeless linear layer's parameters.
template <class W, class B>
rn::layer linear_layer(const W& weight, const B& bias) {
  return {rn::layer::kind::linear, tt::to_reference(weight), tt::to_reference(bias)};
}

}  // namespace

TEMPLATE_TEST_CASE("nn activations against LibTorch: values and vector-Jacobian products",
                   "[reference][nn][activation]", float, double) {
  using T = TestType;
  for (std::uint64_t seed : {11u, 12u, 13u}) check_activations(random_points<T>(seed), seed + 100, "random points");
  check_activations(extreme_points<T>(), 21, "saturating points and large logits");
}

TEMPLATE_TEST_CASE("nn::linear against torch::nn::functional::linear: output and gradients", "[reference][nn][linear]",
                   float, double) {
  using T = TestType;
  constexpr auto lin = nn::linear<"lin", 5, 3, T>;
  constexpr auto x = tt::param_of<"x", T, batch, 5>;
  nn::generator gen(2024);
  nn::module model(lin, gen);
  // PyTorch's initialisation range, uniform in ±1/√in.
  const double bound = 1 / std::sqrt(5.0);
  CHECK(xt::amax(xt::abs(model.value(lin.weight)))() <= bound);
  CHECK(xt::amax(xt::abs(model.value(lin.bias)))() <= bound);

  auto step = tl::compile(lin(x), tl::wrt(x, lin.weight, lin.bias));
  std::mt19937_64 engine(5);
  for (int trial = 0; trial < 3; ++trial) {
    const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 5}, engine, -2, 2);
    const auto S = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 3}, engine, -1, 1);
    const auto r = step(x = X, lin.weight = model.value(lin.weight), lin.bias = model.value(lin.bias), tl::seed(S));
    const rn::network_result torch =
        rn::network(reference_dtype<T>, {linear_layer(model.value(lin.weight), model.value(lin.bias))},
                    tt::to_reference(X), tt::to_reference(S));
    INFO("trial " << trial << ", " << tl::dtype_name<T>);
    tt::check_elements(tt::as_tensor(r.value()), torch.output, tt::nn_tolerance<T>, "output");
    tt::check_elements(tt::as_tensor(r.grad(x)), torch.input_grad, tt::nn_tolerance<T>, "d/dx");
    tt::check_elements(tt::as_tensor(r.grad(lin.weight)), torch.parameter_grads.at(0), tt::nn_tolerance<T>,
                       "d/dweight");
    tt::check_elements(tt::as_tensor(r.grad(lin.bias)), torch.parameter_grads.at(1), tt::nn_tolerance<T>, "d/dbias");
    // A new draw of the parameters for the next trial.
    model.reset_parameters(gen);
  }
}

TEMPLATE_TEST_CASE("nn::sequential(linear, relu, linear, tanh) against LibTorch: output and gradients",
                   "[reference][nn][sequential]", float, double) {
  using T = TestType;
  constexpr auto s1 = nn::linear<"s1", 5, 8, T>;
  constexpr auto s2 = nn::linear<"s2", 8, 4, T>;
  constexpr auto net = nn::sequential(s1, nn::relu, s2, nn::tanh);
  constexpr auto x = tt::param_of<"x", T, batch, 5>;
  nn::generator gen(77);
  nn::module model(net, gen);
  auto step = tl::compile(net(x), tl::wrt(x, s1.weight, s1.bias, s2.weight, s2.bias));
  std::mt19937_64 engine(6);
  for (int trial = 0; trial < 3; ++trial) {
    const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 5}, engine, -2, 2);
    const auto S = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 4}, engine, -1, 1);
    const auto r = step(x = X, s1.weight = model.value(s1.weight), s1.bias = model.value(s1.bias),
                        s2.weight = model.value(s2.weight), s2.bias = model.value(s2.bias), tl::seed(S));
    const std::vector<rn::layer> layers{linear_layer(model.value(s1.weight), model.value(s1.bias)),
                                        {rn::layer::kind::relu, {}, {}},
                                        linear_layer(model.value(s2.weight), model.value(s2.bias)),
                                        {rn::layer::kind::tanh, {}, {}}};
    const rn::network_result torch = rn::network(reference_dtype<T>, layers, tt::to_reference(X), tt::to_reference(S));
    INFO("trial " << trial << ", " << tl::dtype_name<T>);
    tt::check_elements(tt::as_tensor(r.value()), torch.output, tt::nn_tolerance<T>, "output");
    tt::check_elements(tt::as_tensor(r.grad(x)), torch.input_grad, tt::nn_tolerance<T>, "d/dx");
    tt::check_elements(tt::as_tensor(r.grad(s1.weight)), torch.parameter_grads.at(0), tt::nn_tolerance<T>,
                       "d/ds1.weight");
    tt::check_elements(tt::as_tensor(r.grad(s1.bias)), torch.parameter_grads.at(1), tt::nn_tolerance<T>, "d/ds1.bias");
    tt::check_elements(tt::as_tensor(r.grad(s2.weight)), torch.parameter_grads.at(2), tt::nn_tolerance<T>,
                       "d/ds2.weight");
    tt::check_elements(tt::as_tensor(r.grad(s2.bias)), torch.parameter_grads.at(3), tt::nn_tolerance<T>, "d/ds2.bias");
    model.reset_parameters(gen);
  }
}

TEST_CASE("nn::module .grad as PyTorch: backward accumulates, zero_grad resets, unused parameters keep their grad",
          "[reference][nn][grad]") {
  using T = double;
  constexpr auto s1 = nn::linear<"s1", 5, 8, T>;
  constexpr auto s2 = nn::linear<"s2", 8, 4, T>;
  constexpr auto net = nn::sequential(s1, nn::relu, s2, nn::tanh);
  constexpr auto x = tt::input_of<"x", T, batch, 5>;
  constexpr auto s = tt::input_of<"s", T, batch, 4>;
  // sum(net(x) * s): its gradient is backward(s) on net(x), as LibTorch's network() computes.
  constexpr auto loss = tl::sum(net(x) * s);
  nn::generator gen(3);
  nn::module model(net, gen);
  auto step = nn::compile(loss, model);

  std::mt19937_64 engine(9);
  const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 5}, engine, -2, 2);
  const auto S = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 4}, engine, -1, 1);
  const std::vector<rn::layer> layers{linear_layer(model.value(s1.weight), model.value(s1.bias)),
                                      {rn::layer::kind::relu, {}, {}},
                                      linear_layer(model.value(s2.weight), model.value(s2.bias)),
                                      {rn::layer::kind::tanh, {}, {}}};
  const auto grads = [&] { return std::array<xt::xtensor<T, 2>, 2>{model.grad(s1.weight), model.grad(s2.weight)}; };
  const auto bias_grads = [&] { return std::array<xt::xtensor<T, 1>, 2>{model.grad(s1.bias), model.grad(s2.bias)}; };
  const auto check_against = [&](const rn::network_result& torch, const std::string& what) {
    tt::check_elements(tt::as_tensor(model.grad(s1.weight)), torch.parameter_grads.at(0), tt::nn_tolerance<T>,
                       what + ": s1.weight.grad");
    tt::check_elements(tt::as_tensor(model.grad(s1.bias)), torch.parameter_grads.at(1), tt::nn_tolerance<T>,
                       what + ": s1.bias.grad");
    tt::check_elements(tt::as_tensor(model.grad(s2.weight)), torch.parameter_grads.at(2), tt::nn_tolerance<T>,
                       what + ": s2.weight.grad");
    tt::check_elements(tt::as_tensor(model.grad(s2.bias)), torch.parameter_grads.at(3), tt::nn_tolerance<T>,
                       what + ": s2.bias.grad");
  };

  // A new module's .grad is zero (PyTorch's is None; its first backward writes what ours adds).
  for (const auto& g : grads()) CHECK(xt::amax(xt::abs(g))() == 0);

  const rn::network_result once =
      rn::network(tapeless::reference::dtype::float64, layers, tt::to_reference(X), tt::to_reference(S), 1);
  const rn::network_result twice =
      rn::network(tapeless::reference::dtype::float64, layers, tt::to_reference(X), tt::to_reference(S), 2);
  const T value = step.backward(x = X, s = S);
  double torch_value = 0;
  for (std::size_t i = 0; i < once.output.data.size(); ++i) torch_value += once.output.data[i] * S.data()[i];
  CHECK(value == Approx(torch_value).epsilon(1e-12));
  check_against(once, "one backward");
  const auto first = grads();
  const auto first_bias = bias_grads();
  for (const auto& g : first) CHECK(xt::amax(xt::abs(g))() > 0);

  SECTION("two backward calls without zero_grad: exactly twice the gradient, as LibTorch's two backward calls") {
    CHECK(step.backward(x = X, s = S) == value);
    const auto second = grads();
    const auto second_bias = bias_grads();
    for (std::size_t k = 0; k < 2; ++k) {
      CHECK((second[k] == xt::xtensor<T, 2>(2 * first[k])));
      CHECK((second_bias[k] == xt::xtensor<T, 1>(2 * first_bias[k])));
    }
    check_against(twice, "two backward calls");
  }
  SECTION("zero_grad resets every .grad; the next backward gives the first gradient again") {
    model.zero_grad();
    for (const auto& g : grads()) CHECK(xt::amax(xt::abs(g))() == 0);
    for (const auto& g : bias_grads()) CHECK(xt::amax(xt::abs(g))() == 0);
    step.backward(x = X, s = S);
    const auto again = grads();
    const auto again_bias = bias_grads();
    for (std::size_t k = 0; k < 2; ++k) {
      CHECK((again[k] == first[k]));
      CHECK((again_bias[k] == first_bias[k]));
    }
  }
  SECTION("a step that uses only s2 leaves s1's .grad alone and adds to s2's, as LibTorch") {
    constexpr auto h = tt::input_of<"h", T, batch, 8>;
    auto only_s2 = nn::compile(tl::sum(s2(h) * s), model);
    const auto H = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 8}, engine, -1, 1);
    only_s2.backward(h = H, s = S);
    CHECK((model.grad(s1.weight) == first[0]));
    CHECK((model.grad(s1.bias) == first_bias[0]));
    const rn::network_result torch =
        rn::network(tapeless::reference::dtype::float64, {linear_layer(model.value(s2.weight), model.value(s2.bias))},
                    tt::to_reference(H), tt::to_reference(S));
    tensor expected_w = torch.parameter_grads.at(0), expected_b = torch.parameter_grads.at(1);
    for (std::size_t i = 0; i < expected_w.data.size(); ++i) expected_w.data[i] += first[1].data()[i];
    for (std::size_t i = 0; i < expected_b.data.size(); ++i) expected_b.data[i] += first_bias[1].data()[i];
    tt::check_elements(tt::as_tensor(model.grad(s2.weight)), expected_w, tt::nn_tolerance<T>, "s2.weight.grad");
    tt::check_elements(tt::as_tensor(model.grad(s2.bias)), expected_b, tt::nn_tolerance<T>, "s2.bias.grad");
  }
}

TEMPLATE_TEST_CASE("tl::detach in a network blocks the gradient below it, as LibTorch's .detach()",
                   "[reference][nn][detach]", float, double) {
  using T = TestType;
  constexpr auto d1 = nn::linear<"d1", 5, 8, T>;
  constexpr auto d2 = nn::linear<"d2", 8, 4, T>;
  // tl::detach is an ordinary layer of a sequential.
  constexpr auto net = nn::sequential(d1, nn::tanh, tl::detach, d2);
  constexpr auto x = tt::input_of<"x", T, batch, 5>;
  constexpr auto s = tt::input_of<"s", T, batch, 4>;
  constexpr auto s1 = tt::input_of<"s1", T, batch, 8>;
  // d1 is also used without the detach: its gradient must be that path's alone.
  constexpr auto loss = tl::sum(net(x) * s) + tl::sum(d1(x) * s1);
  nn::generator gen(8);
  nn::module model(net, gen);
  auto step = nn::compile(loss, model);
  std::mt19937_64 engine(10);
  const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 5}, engine, -2, 2);
  const auto S = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 4}, engine, -1, 1);
  const auto S1 = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 8}, engine, -1, 1);
  step.backward(x = X, s = S, s1 = S1);

  const rn::layer first = linear_layer(model.value(d1.weight), model.value(d1.bias));
  const std::vector<rn::layer> layers{first,
                                      {rn::layer::kind::tanh, {}, {}},
                                      {rn::layer::kind::detach, {}, {}},
                                      linear_layer(model.value(d2.weight), model.value(d2.bias))};
  const rn::network_result detached = rn::network(reference_dtype<T>, layers, tt::to_reference(X), tt::to_reference(S));
  const rn::network_result direct = rn::network(reference_dtype<T>, {first}, tt::to_reference(X), tt::to_reference(S1));
  INFO(tl::dtype_name<T>);
  // LibTorch's d1 gets nothing through the detach (its .grad stays undefined, given as zeros).
  for (std::size_t k = 0; k < 2; ++k)
    CHECK(std::all_of(detached.parameter_grads[k].data.begin(), detached.parameter_grads[k].data.end(),
                      [](double g) { return g == 0; }));
  tt::check_elements(tt::as_tensor(model.grad(d1.weight)), direct.parameter_grads.at(0), tt::nn_tolerance<T>,
                     "d1.weight.grad");
  tt::check_elements(tt::as_tensor(model.grad(d1.bias)), direct.parameter_grads.at(1), tt::nn_tolerance<T>,
                     "d1.bias.grad");
  tt::check_elements(tt::as_tensor(model.grad(d2.weight)), detached.parameter_grads.at(2), tt::nn_tolerance<T>,
                     "d2.weight.grad");
  tt::check_elements(tt::as_tensor(model.grad(d2.bias)), detached.parameter_grads.at(3), tt::nn_tolerance<T>,
                     "d2.bias.grad");
}

TEMPLATE_TEST_CASE("parameters reached only through tl::detach get a zero gradient, as LibTorch's .detach()",
                   "[reference][nn][detach]", float, double) {
  using T = TestType;
  constexpr auto d1 = nn::linear<"d1", 5, 8, T>;
  constexpr auto d2 = nn::linear<"d2", 8, 4, T>;
  // tl::detach is an ordinary layer of a sequential.
  constexpr auto net = nn::sequential(d1, nn::tanh, tl::detach, d2);
  constexpr auto x = tt::input_of<"x", T, batch, 5>;
  constexpr auto s = tt::input_of<"s", T, batch, 4>;
  nn::generator gen(8);
  nn::module model(net, gen);
  auto step = nn::compile(tl::sum(net(x) * s), model);
  std::mt19937_64 engine(10);
  const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 5}, engine, -2, 2);
  const auto S = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 4}, engine, -1, 1);
  step.backward(x = X, s = S);
  const std::vector<rn::layer> layers{linear_layer(model.value(d1.weight), model.value(d1.bias)),
                                      {rn::layer::kind::tanh, {}, {}},
                                      {rn::layer::kind::detach, {}, {}},
                                      linear_layer(model.value(d2.weight), model.value(d2.bias))};
  const rn::network_result torch = rn::network(reference_dtype<T>, layers, tt::to_reference(X), tt::to_reference(S));
  INFO(tl::dtype_name<T>);
  // LibTorch leaves d1's .grad undefined (reported as zeros): ours stays exactly zero.
  CHECK(xt::amax(xt::abs(model.grad(d1.weight)))() == 0);
  CHECK(xt::amax(xt::abs(model.grad(d1.bias)))() == 0);
  tt::check_elements(tt::as_tensor(model.grad(d1.weight)), torch.parameter_grads.at(0), tt::nn_tolerance<T>, "d1.weight.grad");
  tt::check_elements(tt::as_tensor(model.grad(d1.bias)), torch.parameter_grads.at(1), tt::nn_tolerance<T>, "d1.bias.grad");
  CHECK(xt::amax(xt::abs(model.grad(d2.weight)))() > 0);
  tt::check_elements(tt::as_tensor(model.grad(d2.weight)), torch.parameter_grads.at(2), tt::nn_tolerance<T>, "d2.weight.grad");
  tt::check_elements(tt::as_tensor(model.grad(d2.bias)), torch.parameter_grads.at(3), tt::nn_tolerance<T>, "d2.bias.grad");
}
