// EXPECT: tapeless: an op of class kernel has no forward_kernel / backward_kernel for tensors
// CONTEXT: op_has_no_tensor_kernel<user::row_sums ?>
// An op declared outside the library says it runs its own kernels, but defines none: the
// engine does not guess one (it would run the wrong code); it names the op.
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
};
}  // namespace user

constexpr auto x = tl::param<"x", tl::shape<3, 4>>;

double run(const xt::xtensor<double, 2>& X) {
  auto step = tl::compile(tl::sum(tl::node<user::row_sums, std::remove_cvref_t<decltype(x)>>{}), tl::wrt(x));
  return step(x = X).value();
}
