// Compile-time shape algebra: broadcasting, matrix products, reductions.
#include <catch2/catch.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;
using tl::shape;

TEST_CASE("broadcasting follows NumPy's rules", "[core][shape]") {
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<>, shape<>>, shape<>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<64, 10>, shape<>>, shape<64, 10>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<64, 10>, shape<10>>, shape<64, 10>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<64, 1>, shape<1, 10>>, shape<64, 10>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<3, 1, 5>, shape<4, 1>>, shape<3, 4, 5>>);
  STATIC_REQUIRE(!tl::broadcastable_v<shape<2>, shape<3>>);
  STATIC_REQUIRE(!tl::broadcastable_v<shape<64, 10>, shape<64>>);
  STATIC_REQUIRE(tl::broadcastable_v<shape<tl::dynamic, 4>, shape<4>>);
  // A dynamic extent may be bound to 1 or to the other extent.
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<tl::dynamic, 4>, shape<3, 4>>, shape<3, 4>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<tl::dynamic>, shape<1>>, shape<tl::dynamic>>);
  STATIC_REQUIRE(std::is_same_v<tl::broadcast_t<shape<tl::dynamic>, shape<tl::dynamic>>, shape<tl::dynamic>>);
}

TEST_CASE("matrix products check the inner extents", "[core][shape]") {
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<64, 1000>, shape<1000, 100>>, shape<64, 100>>);
  STATIC_REQUIRE(!tl::matmul_compatible_v<shape<64, 1000>, shape<100, 10>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<8, 2, 3>, shape<8, 3, 4>>, shape<8, 2, 4>>);
  STATIC_REQUIRE(!tl::matmul_compatible_v<shape<8, 2, 3>, shape<7, 3, 4>>);
  // torch.matmul: vectors, and batch axes that broadcast.
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<3>, shape<3>>, shape<>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<3>, shape<3, 5>>, shape<5>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<4, 3>, shape<3>>, shape<4>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<8, 2, 3>, shape<3, 4>>, shape<8, 2, 4>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<2, 1, 5, 3>, shape<6, 3, 4>>, shape<2, 6, 5, 4>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<8, 2, 3>, shape<3>>, shape<8, 2>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<tl::dynamic, 3>, shape<tl::dynamic, 4>>, shape<tl::dynamic, 4>>);
  STATIC_REQUIRE(!tl::matmul_compatible_v<shape<3>, shape<4>>);
  STATIC_REQUIRE(!tl::matmul_compatible_v<shape<2, 2, 3>, shape<3, 3, 4>>);
  STATIC_REQUIRE(!tl::matmul_compatible_v<shape<>, shape<3>>);
  STATIC_REQUIRE(std::is_same_v<tl::matmul_t<shape<tl::dynamic, 4>, shape<4, 8>>, shape<tl::dynamic, 8>>);
}

TEST_CASE("reductions over all or given axes, with or without kept dimensions", "[core][shape]") {
  using S = shape<2, 3, 4>;
  STATIC_REQUIRE(std::is_same_v<tl::reduce_t<S, false>, shape<>>);
  STATIC_REQUIRE(std::is_same_v<tl::reduce_t<S, true>, shape<1, 1, 1>>);
  STATIC_REQUIRE(std::is_same_v<tl::reduce_t<S, false, 1>, shape<2, 4>>);
  STATIC_REQUIRE(std::is_same_v<tl::reduce_t<S, true, 1>, shape<2, 1, 4>>);
  STATIC_REQUIRE(std::is_same_v<tl::reduce_t<S, false, 0, 2>, shape<3>>);
  STATIC_REQUIRE(tl::reducible_v<S, 2>);
  STATIC_REQUIRE(!tl::reducible_v<S, 3>);
  STATIC_REQUIRE(!tl::reducible_v<S, 1, 1>);
  STATIC_REQUIRE(shape<2, 3, 4>::size == 24);
  STATIC_REQUIRE(!shape<tl::dynamic, 3>::is_static);
}
