// + - * / on tensors, with broadcasting in both operands: values against plain loops,
// gradients against central differences of a weighted sum.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <tapeless/tapeless.hpp>
#include <xtensor/xbuilder.hpp>

#include "support/tensor_elementwise.hpp"

namespace tl = tapeless;
using tl::testing::check_binary;
using tl::testing::operand_range;
using namespace tl::testing::broadcast_cases;

namespace {

}  // namespace

TEST_CASE("tensor + - * / broadcast both operands", "[ops][tensor][elementwise]") {
  check_binary<double, col, row>("a + b, (3,1) (1,4)", plus, plus, 11);
  check_binary<double, slab, column>("a + b, (2,1,4) (3,1)", plus, plus, 12);
  check_binary<double, col, row>("a - b, (3,1) (1,4)", minus, minus, 13);
  check_binary<double, slab, column>("a - b, (2,1,4) (3,1)", minus, minus, 14);
  check_binary<double, col, row>("a * b, (3,1) (1,4)", times, times, 15);
  check_binary<double, cube, vec>("a * b, (2,3,4) (4)", times, times, 16);
  check_binary<double, vec, cube>("a * b, (4) (2,3,4)", times, times, 17);
  check_binary<double, col, row>("a / b, (3,1) (1,4)", divide, divide, 18, {}, nonzero);
  check_binary<double, slab, column>("a / b, (2,1,4) (3,1)", divide, divide, 19, {}, nonzero);
}
