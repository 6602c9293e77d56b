// Unary elementwise ops on tensors: values against plain loops over std:: functions, gradients of
// sum(f(a) * w) (w broadcast along the leading axis) against central differences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/tensor_elementwise.hpp"

namespace tl = tapeless;
using tl::testing::check_unary;
using tl::testing::operand_range;

namespace {
using batch = tl::shape<2, 3, 4>;
using weights = tl::shape<3, 4>;
constexpr operand_range general{-2.0, 2.0};
constexpr operand_range away_from_zero{-2.0, 2.0, 0.1};
constexpr operand_range positive{0.1, 3.0};

double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus_ref(double x) { return std::log1p(std::exp(x)); }
}  // namespace

TEST_CASE("tensor square, exp, log, sqrt", "[ops][tensor][elementwise][unary]") {
  check_unary<double, batch, weights>("square", [](const auto& a) { return tl::square(a); },
                                      [](double x) { return x * x; }, 101, general);
  check_unary<double, batch, weights>("exp", [](const auto& a) { return tl::exp(a); },
                                      [](double x) { return std::exp(x); }, 102, general);
  check_unary<double, batch, weights>("log", [](const auto& a) { return tl::log(a); },
                                      [](double x) { return std::log(x); }, 103, positive);
  check_unary<double, batch, weights>("sqrt", [](const auto& a) { return tl::sqrt(a); },
                                      [](double x) { return std::sqrt(x); }, 104, positive);
}

TEST_CASE("tensor abs, negate, relu", "[ops][tensor][elementwise][unary]") {
  check_unary<double, batch, weights>("abs", [](const auto& a) { return tl::abs(a); },
                                      [](double x) { return std::fabs(x); }, 111, away_from_zero);
  check_unary<double, batch, weights>("-a", [](const auto& a) { return -a; }, [](double x) { return -x; }, 112,
                                      general);
  check_unary<double, batch, weights>("relu", [](const auto& a) { return tl::relu(a); },
                                      [](double x) { return x > 0 ? x : 0.0; }, 113, away_from_zero);
}

TEST_CASE("tensor sin, cos, tanh, sigmoid, softplus", "[ops][tensor][elementwise][unary]") {
  check_unary<double, batch, weights>("sin", [](const auto& a) { return tl::sin(a); },
                                      [](double x) { return std::sin(x); }, 121, {-4.0, 4.0});
  check_unary<double, batch, weights>("cos", [](const auto& a) { return tl::cos(a); },
                                      [](double x) { return std::cos(x); }, 122, {-4.0, 4.0});
  check_unary<double, batch, weights>("tanh", [](const auto& a) { return tl::tanh(a); },
                                      [](double x) { return std::tanh(x); }, 123, {-3.0, 3.0});
  check_unary<double, batch, weights>("sigmoid", [](const auto& a) { return tl::sigmoid(a); }, sigmoid_ref, 124,
                                      {-5.0, 5.0});
  check_unary<double, batch, weights>("softplus", [](const auto& a) { return tl::softplus(a); }, softplus_ref, 125,
                                      {-5.0, 5.0});
}

TEST_CASE("tensor unary ops in float", "[ops][tensor][elementwise][unary][float]") {
  check_unary<float, batch, weights>("exp", [](const auto& a) { return tl::exp(a); },
                                     [](double x) { return std::exp(x); }, 131, general);
  check_unary<float, batch, weights>("tanh", [](const auto& a) { return tl::tanh(a); },
                                     [](double x) { return std::tanh(x); }, 132, general);
  check_unary<float, batch, weights>("relu", [](const auto& a) { return tl::relu(a); },
                                     [](double x) { return x > 0 ? x : 0.0; }, 133, away_from_zero);
  check_unary<float, batch, weights>("log", [](const auto& a) { return tl::log(a); },
                                     [](double x) { return std::log(x); }, 134, positive);
}

TEST_CASE("a chain of unary ops fuses into one loop and differentiates through every link",
          "[ops][tensor][elementwise][unary]") {
  // sigmoid(tanh(exp(-a) * 0.5) + sqrt(square(a) + 1)): every link is elementwise.
  check_unary<double, batch, weights>(
      "sigmoid(tanh(exp(-a) * 0.5) + sqrt(square(a) + 1))",
      [](const auto& a) { return tl::sigmoid(tl::tanh(tl::exp(-a) * 0.5) + tl::sqrt(tl::square(a) + 1.0)); },
      [](double x) { return sigmoid_ref(std::tanh(std::exp(-x) * 0.5) + std::sqrt(x * x + 1)); }, 141, general);
}
