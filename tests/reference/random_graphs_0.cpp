// Random graphs 0 to 39 (seeds 1000 to 1039).
#include <catch2/catch.hpp>

#include "random_graphs.hpp"

TEST_CASE("random graphs 0-39 against LibTorch and finite differences", "[reference][random]") {
  tapeless::testing::check_random_graphs<double, 1000, 40>();
}
