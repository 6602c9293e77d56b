// The training layer's losses against LibTorch's (torch::mse_loss, l1_loss, smooth_l1_loss,
// binary_cross_entropy_with_logits, nn::functional::cross_entropy with int64 class targets):
// the value and the gradient with respect to the prediction (a tl::param), and with respect to
// the target for mse and bce, with mean and sum reductions, in float and double. Data: random,
// then exact-zero differences and differences of exactly ±beta (where PyTorch's gradients have
// their kinks), logits 0, and logits of ±100 and ±1000, where a naive formula overflows.
//
// Every loss is a part of one compiled graph per dtype (its value reshaped to one element and
// the parts concatenated, differentiated with a seed of ones), so one compile covers them all;
// each part has its own leaves, so a gradient that disagrees names the loss.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <sstream>
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

namespace {

constexpr std::size_t rows = 4, classes = 5;
constexpr std::array<std::size_t, 2> extents{rows, classes};

/// The data of one comparison: regression predictions and targets, logits and targets in [0, 1]
/// for bce, logits and integer labels for cross_entropy.
template <class T>
struct loss_data {
  std::string name;
  xt::xtensor<T, 2> pred, target, bce_logits, bce_target, ce_logits;
  std::vector<std::int64_t> labels;
};

template <class T>
loss_data<T> random_loss_data(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  loss_data<T> d{"random data (seed " + std::to_string(seed) + ")", {}, {}, {}, {}, {}, {}};
  d.pred = tt::uniform_tensor<T>(extents, engine, -2, 2);
  d.target = tt::uniform_tensor<T>(extents, engine, -2, 2);
  d.bce_logits = tt::uniform_tensor<T>(extents, engine, -4, 4);
  d.bce_target = tt::uniform_tensor<T>(extents, engine, 0, 1);
  d.ce_logits = tt::uniform_tensor<T>(extents, engine, -4, 4);
  std::uniform_int_distribution<std::int64_t> label(0, classes - 1);
  for (std::size_t i = 0; i < rows; ++i) d.labels.push_back(label(engine));
  return d;
}

/// Differences of exactly 0 (l1's and smooth_l1's gradient is 0 there, as torch.sign), ±0.5 and
/// ±1 (smooth_l1's switch for beta 0.5 and 1; the targets are dyadic, so the differences are
/// exact in float), logits 0 and targets 0, 1/2, 1 for bce, and a row of equal logits.
template <class T>
loss_data<T> kink_data() {
  loss_data<T> d{"zero differences, differences of exactly beta, logits 0", {}, {}, {}, {}, {}, {}};
  d.target = xt::xtensor<T, 2>{{0.25, -1.5, 0.75, 2.0, -0.125},
                               {1.0, 0.0, -0.5, 1.25, -2.0},
                               {-0.75, 0.5, 1.5, -1.0, 0.375},
                               {0.0, -0.25, 3.0, 0.625, -1.75}};
  const xt::xtensor<T, 2> offset{{0.0, 0.0, 0.5, -0.5, 1.0},
                                 {-1.0, 0.0, 0.3, -0.7, 0.0},
                                 {1.0, 0.5, 0.0, -1.0, -0.5},
                                 {0.0, 2.5, -0.0625, 0.0, -3.0}};
  d.pred = d.target + offset;
  d.bce_logits = xt::xtensor<T, 2>{
      {0.0, 0.0, 0.0, 1.5, -2.0}, {0.0, 3.0, -3.0, 0.0, 0.5}, {0.0, 0.0, 0.25, -0.25, 0.0}, {2.0, 0.0, -1.0, 0.0, 0.0}};
  d.bce_target = xt::xtensor<T, 2>{
      {0.0, 1.0, 0.5, 1.0, 0.0}, {0.3, 0.0, 1.0, 0.7, 1.0}, {1.0, 0.0, 0.5, 0.0, 0.5}, {0.0, 0.25, 1.0, 1.0, 0.0}};
  d.ce_logits = xt::xtensor<T, 2>{
      {0.0, 0.0, 0.0, 0.0, 0.0}, {1.0, 2.0, 2.0, -1.0, 0.0}, {0.5, -0.5, 3.0, 3.0, 3.0}, {-2.0, 0.0, 0.0, 1.0, -2.0}};
  d.labels = {2, 1, 3, 4};
  return d;
}

/// Logits of ±big: bce's softplus and cross_entropy's log-sum-exp must not overflow, and the
/// labels sit on the largest, the smallest and tied logits. The regression losses see random data.
template <class T>
loss_data<T> extreme_data(double big) {
  loss_data<T> d = random_loss_data<T>(7);
  d.name = "logits of +-" + std::to_string(big);
  const double b = big;
  d.bce_logits = xt::xtensor<T, 2>{{T(b), T(-b), T(b), T(-b), T(0)},
                                   {T(b), T(-b), T(b), T(-b), T(b / 2)},
                                   {T(-b), T(b), T(1), T(-1), T(-b / 2)},
                                   {T(b), T(b), T(-b), T(-b), T(b)}};
  d.bce_target = xt::xtensor<T, 2>{
      {1.0, 0.0, 0.0, 1.0, 0.5}, {0.3, 0.7, 1.0, 0.0, 0.0}, {0.5, 0.5, 1.0, 0.0, 1.0}, {0.0, 1.0, 0.0, 1.0, 0.25}};
  d.ce_logits = xt::xtensor<T, 2>{{T(b), T(-b), T(0), T(b), T(5)},
                                  {T(-b), T(-b), T(-b), T(-b), T(-b)},
                                  {T(b), T(-b), T(0), T(1), T(-1)},
                                  {T(b), T(b / 2), T(-b), T(0), T(b)}};
  d.labels = {1, 3, 0, 2};
  return d;
}

/// The graph of every loss in dtype T and its leaves.
template <class T>
struct all_losses {
  template <tl::fixed_string Name>
  static constexpr auto p = tt::param_of<Name, T, rows, classes>;
  template <tl::fixed_string Name>
  static constexpr auto in = tt::input_of<Name, T, rows, classes>;

  // The targets of mse and bce are params: their gradients are compared too.
  static constexpr auto mse_p = p<"mse_p">;
  static constexpr auto mse_t = p<"mse_t">;
  static constexpr auto mse_sum_p = p<"mse_sum_p">;
  static constexpr auto mse_sum_t = p<"mse_sum_t">;
  static constexpr auto target = in<"target">;
  static constexpr auto l1_p = p<"l1_p">;
  static constexpr auto l1_sum_p = p<"l1_sum_p">;
  static constexpr auto sl1_p = p<"sl1_p">;
  static constexpr auto sl1_sum_p = p<"sl1_sum_p">;
  static constexpr auto sl1_half_p = p<"sl1_half_p">;
  static constexpr auto sl1_half_sum_p = p<"sl1_half_sum_p">;
  static constexpr auto bce_x = p<"bce_x">;
  static constexpr auto bce_y = p<"bce_y">;
  static constexpr auto bce_sum_x = p<"bce_sum_x">;
  static constexpr auto bce_sum_y = p<"bce_sum_y">;
  static constexpr auto ce_x = p<"ce_x">;
  static constexpr auto ce_sum_x = p<"ce_sum_x">;
  static constexpr auto onehot = in<"onehot">;

  using sum_t = nn::reduction;
  static constexpr auto graph() {
    return tt::stack(nn::mse_loss(mse_p, mse_t), nn::mse_loss<sum_t::sum>(mse_sum_p, mse_sum_t),
                     nn::l1_loss(l1_p, target), nn::l1_loss<sum_t::sum>(l1_sum_p, target),
                     nn::smooth_l1_loss(sl1_p, target, 1.0), nn::smooth_l1_loss<sum_t::sum>(sl1_sum_p, target, 1.0),
                     nn::smooth_l1_loss(sl1_half_p, target, 0.5),
                     nn::smooth_l1_loss<sum_t::sum>(sl1_half_sum_p, target, 0.5),
                     nn::bce_with_logits_loss(bce_x, bce_y), nn::bce_with_logits_loss<sum_t::sum>(bce_sum_x, bce_sum_y),
                     nn::cross_entropy(ce_x, onehot), nn::cross_entropy<sum_t::sum>(ce_sum_x, onehot));
  }
};

template <class T>
void check_losses(const loss_data<T>& d) {
  using L = all_losses<T>;
  constexpr auto rd =
      std::is_same_v<T, float> ? tapeless::reference::dtype::float32 : tapeless::reference::dtype::float64;
  const auto graph = L::graph();
  auto step = tl::compile(graph, tl::wrt(L::mse_p, L::mse_t, L::mse_sum_p, L::mse_sum_t, L::l1_p, L::l1_sum_p, L::sl1_p,
                                         L::sl1_sum_p, L::sl1_half_p, L::sl1_half_sum_p, L::bce_x, L::bce_y,
                                         L::bce_sum_x, L::bce_sum_y, L::ce_x, L::ce_sum_x));
  const xt::xtensor<T, 2> onehot = nn::one_hot<T>(d.labels, classes);
  const xt::xtensor<T, 1> ones = xt::ones<T>({std::size_t{12}});
  const auto r =
      step(L::mse_p = d.pred, L::mse_t = d.target, L::mse_sum_p = d.pred, L::mse_sum_t = d.target, L::target = d.target,
           L::l1_p = d.pred, L::l1_sum_p = d.pred, L::sl1_p = d.pred, L::sl1_sum_p = d.pred, L::sl1_half_p = d.pred,
           L::sl1_half_sum_p = d.pred, L::bce_x = d.bce_logits, L::bce_y = d.bce_target, L::bce_sum_x = d.bce_logits,
           L::bce_sum_y = d.bce_target, L::ce_x = d.ce_logits, L::ce_sum_x = d.ce_logits, L::onehot = onehot,
           tl::seed(ones));
  const tapeless::reference::tensor values = tt::as_tensor(r.value());
  INFO(d.name << ", " << tl::dtype_name<T>);
  REQUIRE(values.data.size() == 12);

  const tapeless::reference::tensor pred = tt::to_reference(d.pred), target = tt::to_reference(d.target);
  const tapeless::reference::tensor bce_x = tt::to_reference(d.bce_logits), bce_y = tt::to_reference(d.bce_target);
  const tapeless::reference::tensor ce_x = tt::to_reference(d.ce_logits);
  tapeless::reference::tensor labels{{rows}, {}};
  for (std::int64_t l : d.labels) labels.data.push_back(static_cast<double>(l));

  constexpr tt::tolerance tol = tt::nn_tolerance<T>;
  std::size_t k = 0;
  const auto compare = [&](const char* loss, rn::reduction red, double beta, const tapeless::reference::tensor& x,
                           const tapeless::reference::tensor& y, const auto& x_leaf, const auto* y_leaf) {
    constexpr bool with_target_grad = !std::is_same_v<decltype(y_leaf), const std::nullptr_t*>;
    const rn::loss_result torch = rn::loss(loss, rd, x, y, red, beta, with_target_grad);
    const bool l1_like = std::string(loss) == "l1" || std::string(loss) == "smooth_l1";
    std::ostringstream label;
    label << loss << (red == rn::reduction::mean ? " (mean" : " (sum");
    if (std::string(loss) == "smooth_l1") label << ", beta " << beta;
    label << ")";
    const std::string what = label.str();
    tt::check_elements(tt::part(values, k, {}), {{}, {torch.value}}, tol, what + ": value", true);
    const tapeless::reference::tensor grad = tt::as_tensor(r.grad(x_leaf));
    tt::check_elements(grad, torch.input_grad, tol, what + ": gradient w.r.t. the input", true);
    // Where the prediction equals the target, PyTorch's gradient is exactly 0 (sign(0) = 0).
    for (std::size_t i = 0; l1_like && i < x.data.size(); ++i)
      if (x.data[i] == y.data[i]) {
        INFO(what << ": a zero difference at element " << i);
        CHECK(torch.input_grad.data[i] == 0);
        CHECK(grad.data[i] == 0);
      }
    if constexpr (with_target_grad)
      tt::check_elements(tt::as_tensor(r.grad(*y_leaf)), torch.target_grad, tol, what + ": gradient w.r.t. the target",
                         true);
    ++k;
  };
  constexpr const std::nullptr_t* no_target = nullptr;
  compare("mse", rn::reduction::mean, 1, pred, target, L::mse_p, &L::mse_t);
  compare("mse", rn::reduction::sum, 1, pred, target, L::mse_sum_p, &L::mse_sum_t);
  compare("l1", rn::reduction::mean, 1, pred, target, L::l1_p, no_target);
  compare("l1", rn::reduction::sum, 1, pred, target, L::l1_sum_p, no_target);
  compare("smooth_l1", rn::reduction::mean, 1, pred, target, L::sl1_p, no_target);
  compare("smooth_l1", rn::reduction::sum, 1, pred, target, L::sl1_sum_p, no_target);
  compare("smooth_l1", rn::reduction::mean, 0.5, pred, target, L::sl1_half_p, no_target);
  compare("smooth_l1", rn::reduction::sum, 0.5, pred, target, L::sl1_half_sum_p, no_target);
  compare("bce_with_logits", rn::reduction::mean, 1, bce_x, bce_y, L::bce_x, &L::bce_y);
  compare("bce_with_logits", rn::reduction::sum, 1, bce_x, bce_y, L::bce_sum_x, &L::bce_sum_y);
  compare("cross_entropy", rn::reduction::mean, 1, ce_x, labels, L::ce_x, no_target);
  compare("cross_entropy", rn::reduction::sum, 1, ce_x, labels, L::ce_sum_x, no_target);
}

}  // namespace

TEMPLATE_TEST_CASE("nn losses against LibTorch: value and gradients, mean and sum", "[reference][nn][loss]", float,
                   double) {
  using T = TestType;
  for (std::uint64_t seed : {1u, 2u, 3u}) check_losses(random_loss_data<T>(seed));
  check_losses(kink_data<T>());
  check_losses(extreme_data<T>(100));
  check_losses(extreme_data<T>(1000));
}
