// tapeless::nn modules and compiled steps: parameter names, counts and the summary table;
// PyTorch's initialisation reproduced from std::mt19937 (whose output the C++ standard fixes);
// and the semantics of nn::compile: the loss against a forward pass written with loops, the
// gradients against central differences of that loss, accumulation, zero_grad, parameters the
// loss does not use, forward-only steps, and detach.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tapeless/nn.hpp>
#include <type_traits>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

namespace {

// SimpleNet: Linear(4, 8) -> ReLU -> Linear(8, 1) in float32 (only constructed, never compiled).
constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
constexpr auto fc2 = nn::linear<"fc2", 8, 1>;
constexpr auto simple_net = nn::sequential(fc1, nn::relu, fc2);
using simple_module = nn::module<std::remove_cvref_t<decltype(simple_net)>>;

// A small double network for the compiled steps: Linear(3, 4) -> tanh -> Linear(4, 2), on a
// batch of 5 rows, with mean squared error.
constexpr std::size_t rows = 5, in = 3, hidden = 4, out = 2;
constexpr auto l1 = nn::linear<"l1", in, hidden, double>;
constexpr auto l2 = nn::linear<"l2", hidden, out, double>;
constexpr auto tanh_net = nn::sequential(l1, nn::tanh, l2);
constexpr auto x = tl::input<"x", tl::shape<rows, in>, double>;
constexpr auto y = tl::input<"y", tl::shape<rows, out>, double>;
constexpr auto mse = nn::mse_loss(tanh_net(x), y);

using tanh_module = nn::module<std::remove_cvref_t<decltype(tanh_net)>>;

xt::xtensor<double, 2> batch_x() {
  return {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.75}, {-2.0, 1.0, 0.0}, {0.1, 0.2, 0.3}, {-0.6, -1.2, 0.9}};
}
xt::xtensor<double, 2> batch_y() { return {{1.0, -0.5}, {0.0, 0.25}, {-1.0, 2.0}, {0.5, 0.5}, {0.75, -0.25}}; }

/// tanh_net(X) with loops: h = tanh(X W1ᵀ + b1), out = h W2ᵀ + b2.
xt::xtensor<double, 2> forward_by_hand(const tanh_module& m, const xt::xtensor<double, 2>& X) {
  const auto& w1 = m.value(l1.weight);
  const auto& b1 = m.value(l1.bias);
  const auto& w2 = m.value(l2.weight);
  const auto& b2 = m.value(l2.bias);
  xt::xtensor<double, 2> result = xt::xtensor<double, 2>::from_shape({rows, out});
  for (std::size_t i = 0; i < rows; ++i) {
    std::array<double, hidden> h{};
    for (std::size_t j = 0; j < hidden; ++j) {
      double z = b1(j);
      for (std::size_t k = 0; k < in; ++k) z += X(i, k) * w1(j, k);
      h[j] = std::tanh(z);
    }
    for (std::size_t o = 0; o < out; ++o) {
      double v = b2(o);
      for (std::size_t j = 0; j < hidden; ++j) v += h[j] * w2(o, j);
      result(i, o) = v;
    }
  }
  return result;
}

double mse_by_hand(const tanh_module& m, const xt::xtensor<double, 2>& X, const xt::xtensor<double, 2>& Y) {
  const auto pred = forward_by_hand(m, X);
  double s = 0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t o = 0; o < out; ++o) s += (pred(i, o) - Y(i, o)) * (pred(i, o) - Y(i, o));
  return s / (rows * out);
}

/// Every gradient of the module, flattened in declaration order.
template <class M>
std::vector<double> all_grads(const M& m) {
  std::vector<double> g;
  m.for_each_parameter([&](const auto& p) {
    for (std::size_t i = 0; i < p.grad.size(); ++i) g.push_back(static_cast<double>(p.grad.data()[i]));
  });
  return g;
}

template <class M>
void fill_grads(M& m, double v) {
  m.for_each_parameter([&](auto& p) {
    for (auto& g : p.grad) g = static_cast<typename std::remove_cvref_t<decltype(p)>::value_type>(v);
  });
}

// The documented float draw (the top 24 bits of one 32-bit draw, times 2^-24) and
// Tensor.uniform_(lo, hi) on it: lo + (hi - lo)·u.
float uniform_float(std::mt19937& engine, double bound) {
  const float u = static_cast<float>(engine() >> 8) * 0x1.0p-24f;
  const double lo = static_cast<float>(-bound), hi = static_cast<float>(bound);
  return static_cast<float>(lo + (hi - lo) * static_cast<double>(u));
}

}  // namespace

// ---- the module's parameters -------------------------------------------------------------------

TEST_CASE("module: names in declaration order, weight before bias, and the parameter count", "[nn][module]") {
  CHECK(simple_module::names() == std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"});
  CHECK(simple_module::parameter_count() == 4 * 8 + 8 + 8 * 1 + 1);
  STATIC_REQUIRE(simple_module::parameter_count() == 49);
  STATIC_REQUIRE(simple_module::size == 4);
  CHECK(tanh_module::names() == std::vector<std::string>{"l1.weight", "l1.bias", "l2.weight", "l2.bias"});
  CHECK(tanh_module::parameter_count() == 3 * 4 + 4 + 4 * 2 + 2);

  STATIC_REQUIRE(simple_module::holds<std::remove_cvref_t<decltype(fc1.weight)>>);
  STATIC_REQUIRE(simple_module::holds<std::remove_cvref_t<decltype(fc2.bias)>>);
  STATIC_REQUIRE_FALSE(simple_module::holds<std::remove_cvref_t<decltype(l1.weight)>>);
}

TEST_CASE("module: summary lists name, shape, dtype and count of each parameter and the total", "[nn][module]") {
  const nn::module model(simple_net);
  CHECK(model.summary() ==
        "fc1.weight [8, 4] float32 32\n"
        "fc1.bias [8] float32 8\n"
        "fc2.weight [1, 8] float32 8\n"
        "fc2.bias [1] float32 1\n"
        "total 49 parameters\n");
  const tanh_module doubles(tanh_net);
  CHECK(doubles.summary() ==
        "l1.weight [4, 3] float64 12\n"
        "l1.bias [4] float64 4\n"
        "l2.weight [2, 4] float64 8\n"
        "l2.bias [2] float64 2\n"
        "total 26 parameters\n");
}

TEST_CASE("module: values and gradients have the parameters' shapes, gradients start at zero", "[nn][module]") {
  nn::module model(simple_net);
  using shape2 = std::array<std::size_t, 2>;
  using shape1 = std::array<std::size_t, 1>;
  CHECK(model.value(fc1.weight).shape() == shape2{8, 4});
  CHECK(model.grad(fc1.weight).shape() == shape2{8, 4});
  CHECK(model.value(fc1.bias).shape() == shape1{8});
  CHECK(model.grad(fc1.bias).shape() == shape1{8});
  CHECK(model.value(fc2.weight).shape() == shape2{1, 8});
  CHECK(model.grad(fc2.weight).shape() == shape2{1, 8});
  CHECK(model.value(fc2.bias).shape() == shape1{1});
  CHECK(model.grad(fc2.bias).shape() == shape1{1});
  STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(model.value(fc1.weight))>, xt::xtensor<float, 2>>);
  STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(model.grad(fc2.bias))>, xt::xtensor<float, 1>>);
  for (double g : all_grads(model)) CHECK(g == 0.0);

  // value() and parameter() refer to the same storage.
  model.value(fc2.bias)(0) = 3.5f;
  CHECK(model.parameter(fc2.bias).value(0) == 3.5f);
  CHECK(std::get<3>(model.parameters()).value(0) == 3.5f);
}

TEST_CASE("module: PyTorch's initialisation, uniform within plus or minus 1/sqrt(in)", "[nn][module][init]") {
  nn::generator gen(2024);
  const nn::module model(simple_net, gen);
  const auto within = [](const auto& values, double bound) {
    std::set<float> distinct;
    for (float v : values) {
      CHECK(std::abs(static_cast<double>(v)) <= bound * (1 + 1e-7));
      distinct.insert(v);
    }
    return distinct.size();
  };
  CHECK(within(model.value(fc1.weight), 0.5) > 28);  // 32 draws of 2^24 possible values
  CHECK(within(model.value(fc1.bias), 0.5) > 6);
  CHECK(within(model.value(fc2.weight), 1 / std::sqrt(8.0)) > 6);
  CHECK(within(model.value(fc2.bias), 1 / std::sqrt(8.0)) == 1);

  // Both signs occur: 41 draws from a symmetric range are all of one sign with probability 2^-40.
  std::size_t negative = 0, positive = 0;
  model.for_each_parameter([&](const auto& p) {
    for (float v : p.value) (v < 0 ? negative : positive) += 1;
  });
  CHECK(negative > 0);
  CHECK(positive > 0);
  CHECK(negative + positive == 49);
}

TEST_CASE("module: initial values are drawn layer by layer, weight before bias, from the generator", "[nn][module][init]") {
  nn::generator gen(77);
  const nn::module model(simple_net, gen);
  std::mt19937 engine(77);
  const double b1 = 0.5, b2 = 1 / std::sqrt(8.0);
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t j = 0; j < 4; ++j) CHECK(model.value(fc1.weight)(i, j) == Approx(uniform_float(engine, b1)).margin(1e-7));
  for (std::size_t i = 0; i < 8; ++i) CHECK(model.value(fc1.bias)(i) == Approx(uniform_float(engine, b1)).margin(1e-7));
  for (std::size_t j = 0; j < 8; ++j) CHECK(model.value(fc2.weight)(0, j) == Approx(uniform_float(engine, b2)).margin(1e-7));
  CHECK(model.value(fc2.bias)(0) == Approx(uniform_float(engine, b2)).margin(1e-7));
  // The module consumed exactly 49 draws: the generator continues where the engine does.
  CHECK(gen.next_u32() == engine());
}

TEST_CASE("module: the same seed gives the same values, another seed other values", "[nn][module][init]") {
  const auto values = [](const simple_module& m) {
    std::vector<float> v;
    m.for_each_parameter([&](const auto& p) { v.insert(v.end(), p.value.begin(), p.value.end()); });
    return v;
  };
  nn::generator a(5), b(5), c(6);
  const simple_module first(simple_net, a), second(simple_net, b), other(simple_net, c);
  CHECK(values(first) == values(second));
  const auto v1 = values(first), v3 = values(other);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < v1.size(); ++i) differ += v1[i] != v3[i];
  CHECK(differ > 45);

  // The default generator, seeded by nn::manual_seed, serves the one-argument constructor.
  nn::manual_seed(5);
  const simple_module from_default(simple_net);
  CHECK(values(from_default) == values(first));

  // reset_parameters draws again.
  simple_module reset(simple_net, c);
  nn::generator again(5);
  reset.reset_parameters(again);
  CHECK(values(reset) == values(first));
}

TEST_CASE("module: free parameters start at zero", "[nn][module]") {
  constexpr auto w = tl::param<"w", tl::shape<3>, double>;
  constexpr auto b = tl::param<"b", tl::shape<>, double>;
  nn::module model(nn::parameters(w, b));
  CHECK(decltype(model)::names() == std::vector<std::string>{"w", "b"});
  CHECK(decltype(model)::parameter_count() == 4);
  CHECK(model.summary() == "w [3] float64 3\nb [] float64 1\ntotal 4 parameters\n");
  for (double v : model.value(w)) CHECK(v == 0.0);
  CHECK(model.value(b)() == 0.0);
  CHECK(model.grad(b)() == 0.0);
  model.value(b)() = 2.5;
  CHECK(model.value(b)() == 2.5);
}

TEST_CASE("module: train, eval and the generator for dropout masks", "[nn][module]") {
  nn::module model(simple_net);
  CHECK(model.is_training());
  model.eval();
  CHECK_FALSE(model.is_training());
  model.train();
  CHECK(model.is_training());
  model.train(false);
  CHECK_FALSE(model.is_training());

  CHECK(&model.generator() == &nn::default_generator());
  nn::generator own(9);
  model.set_generator(own);
  CHECK(&model.generator() == &own);
}

// ---- compiled steps ----------------------------------------------------------------------------

TEST_CASE("compile: backward returns the loss of a forward pass written with loops", "[nn][compile]") {
  nn::generator gen(31);
  tanh_module model(tanh_net, gen);
  const auto X = batch_x();
  const auto Y = batch_y();
  auto step = nn::compile(mse, model);
  const double loss = step.backward(x = X, y = Y);
  CHECK(loss == Approx(mse_by_hand(model, X, Y)).epsilon(1e-13));
  CHECK(loss > 0.01);  // a loss that is not trivially small

  // After changing a value, the step reads the new value (parameters are bound per call).
  model.value(l2.bias)(1) += 0.5;
  const double changed = step.backward(x = X, y = Y);
  CHECK(changed == Approx(mse_by_hand(model, X, Y)).epsilon(1e-13));
  CHECK(changed != Approx(loss).epsilon(1e-6));
}

TEST_CASE("compile: gradients equal central differences of the loss", "[nn][compile]") {
  nn::generator gen(32);
  tanh_module model(tanh_net, gen);
  const auto X = batch_x();
  const auto Y = batch_y();
  auto step = nn::compile(mse, model);
  auto evaluate = nn::compile(mse, model, nn::no_grad);
  model.zero_grad();
  (void)step.backward(x = X, y = Y);

  const double h = 1e-5;
  std::size_t checked = 0;
  model.for_each_parameter([&](auto& p) {
    for (std::size_t i = 0; i < p.value.size(); ++i) {
      double& v = p.value.data()[i];
      const double saved = v;
      v = saved + h;
      const double plus = evaluate(x = X, y = Y);
      v = saved - h;
      const double minus = evaluate(x = X, y = Y);
      v = saved;
      const double numeric = (plus - minus) / (2 * h);
      INFO(std::string(std::remove_cvref_t<decltype(p)>::name) << " element " << i);
      CHECK(p.grad.data()[i] == Approx(numeric).epsilon(1e-7).margin(1e-9));
      ++checked;
    }
  });
  CHECK(checked == 26);
  // The differences are not all zero: the check above compares real gradients.
  double largest = 0;
  for (double g : all_grads(model)) largest = std::max(largest, std::abs(g));
  CHECK(largest > 0.01);
}

TEST_CASE("compile: backward accumulates, zero_grad resets, the forward-only calls leave grads alone", "[nn][compile]") {
  nn::generator gen(33);
  tanh_module model(tanh_net, gen);
  const auto X = batch_x();
  const auto Y = batch_y();
  auto step = nn::compile(mse, model);
  auto evaluate = nn::compile(mse, model, nn::no_grad);

  (void)step.backward(x = X, y = Y);
  const auto once = all_grads(model);
  (void)step.backward(x = X, y = Y);
  const auto twice = all_grads(model);
  REQUIRE(once.size() == twice.size());
  for (std::size_t i = 0; i < once.size(); ++i) CHECK(twice[i] == 2 * once[i]);

  // Calling the gradient step without backward, or the no_grad step, returns the loss and
  // leaves .grad as it was.
  const double loss = step(x = X, y = Y);
  CHECK(loss == Approx(mse_by_hand(model, X, Y)).epsilon(1e-13));
  CHECK(evaluate(x = X, y = Y) == Approx(loss).epsilon(1e-14));
  CHECK(all_grads(model) == twice);

  model.zero_grad();
  for (double g : all_grads(model)) CHECK(g == 0.0);
  (void)step.backward(x = X, y = Y);
  CHECK(all_grads(model) == once);
}

TEST_CASE("compile: parameters the loss does not use keep their gradients", "[nn][compile]") {
  nn::generator gen(34);
  tanh_module model(tanh_net, gen);
  const auto X = batch_x();
  // Only the first layer: loss = Σ z², z = X W1ᵀ + b1.
  auto first_layer = nn::compile(tl::sum(tl::square(l1(x))), model);
  fill_grads(model, 0.25);
  const double loss = first_layer.backward(x = X);

  // By hand: dloss/dW1[j, k] = Σ_i 2 z[i, j] X[i, k], dloss/db1[j] = Σ_i 2 z[i, j].
  const auto& w1 = model.value(l1.weight);
  const auto& b1 = model.value(l1.bias);
  double expected_loss = 0;
  std::array<std::array<double, in>, hidden> dw{};
  std::array<double, hidden> db{};
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < hidden; ++j) {
      double z = b1(j);
      for (std::size_t k = 0; k < in; ++k) z += X(i, k) * w1(j, k);
      expected_loss += z * z;
      db[j] += 2 * z;
      for (std::size_t k = 0; k < in; ++k) dw[j][k] += 2 * z * X(i, k);
    }
  CHECK(loss == Approx(expected_loss).epsilon(1e-13));
  for (std::size_t j = 0; j < hidden; ++j) {
    CHECK(model.grad(l1.bias)(j) == Approx(0.25 + db[j]).epsilon(1e-13));
    for (std::size_t k = 0; k < in; ++k) CHECK(model.grad(l1.weight)(j, k) == Approx(0.25 + dw[j][k]).epsilon(1e-13));
  }
  for (double g : model.grad(l2.weight)) CHECK(g == 0.25);
  for (double g : model.grad(l2.bias)) CHECK(g == 0.25);
}

TEST_CASE("compile: a non-scalar expression gives a forward-only step that returns the prediction", "[nn][compile]") {
  nn::generator gen(35);
  tanh_module model(tanh_net, gen);
  const auto X = batch_x();
  auto predict = nn::compile(tanh_net(x), model);
  fill_grads(model, -1.5);
  const auto prediction = predict(x = X);
  const auto expected = forward_by_hand(model, X);
  REQUIRE(prediction.shape()[0] == rows);
  REQUIRE(prediction.shape()[1] == out);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t o = 0; o < out; ++o) CHECK(prediction(i, o) == Approx(expected(i, o)).epsilon(1e-13));
  for (double g : all_grads(model)) CHECK(g == -1.5);
}

TEST_CASE("compile: detach inside a loss stops the gradient through that factor", "[nn][compile]") {
  // loss = Σ w · detach(w): the value is Σ w², the gradient w (not 2w: the detached factor is a
  // constant for the backward pass).
  constexpr auto w = tl::param<"w", tl::shape<3>, double>;
  nn::module model(nn::parameters(w));
  model.value(w) = xt::xtensor<double, 1>{1.5, -2.0, 0.25};
  auto step = nn::compile(tl::sum(w * tl::detach(w)), model);
  const double loss = step.backward();
  CHECK(loss == 1.5 * 1.5 + 2.0 * 2.0 + 0.25 * 0.25);
  CHECK(model.grad(w)(0) == 1.5);
  CHECK(model.grad(w)(1) == -2.0);
  CHECK(model.grad(w)(2) == 0.25);
}
