// The same op with its kernels: the engine runs them.
#include <array>
#include <string_view>

#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

namespace user {
struct row_sums {
  static constexpr tl::op_class category = tl::op_class::kernel;
  static constexpr std::string_view name = "row_sums";
  static constexpr tl::shape_outcome infer(const std::array<tl::extents, 1>& in) {
    tl::shape_outcome s{in[0]};
    s.out.rank = 1;
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = tl::rule_shape_t<row_sums, S>;
  template <auto Info, class T>
  static void forward_kernel(const tl::engine::tensor::kernel_args<T, 1>& a) {
    for (std::size_t i = 0; i < a.out->ext[0]; ++i) {
      T s = 0;
      for (std::size_t j = 0; j < a.in[0]->ext[1]; ++j) s += a.in[0]->data[i * a.in[0]->stride[0] + j * a.in[0]->stride[1]];
      a.out->data[i] = s;
    }
  }
  template <auto Info, class T>
  static void backward_kernel(const tl::engine::tensor::kernel_args<T, 1>& a) {
    for (std::size_t i = 0; i < a.grad->ext[0]; ++i)
      for (std::size_t j = 0; j < a.in[0]->ext[1]; ++j) a.in_grad[0]->data[i * a.in[0]->ext[1] + j] = a.grad->data[i];
  }
};
}  // namespace user

constexpr auto x = tl::param<"x", tl::shape<3, 4>>;

double run(const xt::xtensor<double, 2>& X) {
  auto step = tl::compile(tl::sum(tl::node<user::row_sums, std::remove_cvref_t<decltype(x)>>{}), tl::wrt(x));
  return step(x = X).value();
}
